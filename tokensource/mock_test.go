package tokensource_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildermock"
	"github.com/uibuilder-go/amplifyuibuilder/tokensource"
)

// The Source against the mock, for answers the local endpoint never gives
// and for holding a call while its caller's context ends.

// refreshWith matches a RefreshToken input that presents token.
func refreshWith(token string) any {
	return mock.MatchedBy(func(in *amplifyuibuilder.RefreshTokenInput) bool {
		return aws.ToString(in.RefreshTokenBody.Token) == token
	})
}

func TestNoAccessToken(t *testing.T) {
	t.Run("an exchange with a refresh token: the next call refreshes", func(t *testing.T) {
		api := amplifyuibuildermock.NewClient(t)
		api.On("ExchangeCodeForToken", mock.Anything, mock.Anything).
			Return(&amplifyuibuilder.ExchangeCodeForTokenOutput{RefreshToken: aws.String("rt"), ExpiresIn: aws.Int32(3600)}, nil).Once()
		api.On("RefreshToken", mock.Anything, refreshWith("rt")).
			Return(&amplifyuibuilder.RefreshTokenOutput{AccessToken: aws.String("at"), ExpiresIn: aws.Int32(3600)}, nil).Once()
		src := tokensource.FromCode(api, figma, "code", redirectURI)

		_, err := src.Token(t.Context())
		require.ErrorIs(t, err, tokensource.ErrNoAccessToken)
		assert.NotErrorIs(t, err, tokensource.ErrCodeSpent)
		token, err := src.Token(t.Context())
		require.NoError(t, err)
		assert.Equal(t, "at", token)
	})
	t.Run("an exchange with nothing: the code is spent", func(t *testing.T) {
		for name, out := range map[string]*amplifyuibuilder.ExchangeCodeForTokenOutput{
			"empty output": {ExpiresIn: aws.Int32(3600)},
			"empty tokens": {AccessToken: aws.String(""), RefreshToken: aws.String("")},
			"no output":    nil,
		} {
			t.Run(name, func(t *testing.T) {
				api := amplifyuibuildermock.NewClient(t)
				api.On("ExchangeCodeForToken", mock.Anything, mock.Anything).Return(out, nil).Once()
				src := tokensource.FromCode(api, figma, "code", redirectURI)

				for range 2 {
					_, err := src.Token(t.Context())
					assert.ErrorIs(t, err, tokensource.ErrNoAccessToken)
					assert.ErrorIs(t, err, tokensource.ErrCodeSpent)
				}
			})
		}
	})
	t.Run("a refresh: the next call refreshes again", func(t *testing.T) {
		api := amplifyuibuildermock.NewClient(t)
		api.On("RefreshToken", mock.Anything, refreshWith("rt")).Return(nil, nil).Once()
		api.On("RefreshToken", mock.Anything, refreshWith("rt")).
			Return(&amplifyuibuilder.RefreshTokenOutput{AccessToken: aws.String("")}, nil).Once()
		api.On("RefreshToken", mock.Anything, refreshWith("rt")).
			Return(&amplifyuibuilder.RefreshTokenOutput{AccessToken: aws.String("at"), ExpiresIn: aws.Int32(3600)}, nil).Once()
		src := tokensource.FromRefreshToken(api, figma, "rt")

		for range 2 {
			_, err := src.Token(t.Context())
			assert.ErrorIs(t, err, tokensource.ErrNoAccessToken)
		}
		token, err := src.Token(t.Context())
		require.NoError(t, err)
		assert.Equal(t, "at", token)
	})
}

// TestUnknownLifetime: an access token whose answer gives no positive
// expiresIn has no known expiry; the Source keeps it, and says so to oauth2
// with a zero Expiry.
func TestUnknownLifetime(t *testing.T) {
	for name, expiresIn := range map[string]*int32{"absent": nil, "zero": aws.Int32(0), "negative": aws.Int32(-60)} {
		t.Run(name, func(t *testing.T) {
			api := amplifyuibuildermock.NewClient(t)
			api.On("ExchangeCodeForToken", mock.Anything, mock.Anything).Return(&amplifyuibuilder.ExchangeCodeForTokenOutput{
				AccessToken: aws.String("at"), RefreshToken: aws.String("rt"), ExpiresIn: expiresIn,
			}, nil).Once()
			clock := newFakeClock()
			src := tokensource.FromCode(api, figma, "code", redirectURI, tokensource.WithClock(clock.Now))

			tok, err := src.OAuth2(t.Context()).Token()
			require.NoError(t, err)
			assert.True(t, tok.Expiry.IsZero())
			clock.Advance(365 * 24 * time.Hour)
			token, err := src.Token(t.Context())
			require.NoError(t, err)
			assert.Equal(t, "at", token, "kept without a refresh")
		})
	}
}

func TestNoRefreshToken(t *testing.T) {
	api := amplifyuibuildermock.NewClient(t)
	api.On("ExchangeCodeForToken", mock.Anything, mock.Anything).Return(&amplifyuibuilder.ExchangeCodeForTokenOutput{
		AccessToken: aws.String("at"), ExpiresIn: aws.Int32(3600),
	}, nil).Once()
	clock := newFakeClock()
	src := tokensource.FromCode(api, figma, "code", redirectURI, tokensource.WithClock(clock.Now))

	token, err := src.Token(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "at", token)
	clock.Advance(time.Hour)
	_, err = src.Token(t.Context())
	assert.ErrorIs(t, err, tokensource.ErrNoRefreshToken)
}

// heldRefresh answers one RefreshToken call: it tells entered that the call
// arrived, then waits. When release is closed it returns what answer does;
// when the call's context ends first, the context's error.
func heldRefresh(api *amplifyuibuildermock.Client, entered chan<- struct{}, release <-chan struct{},
	answer func() (*amplifyuibuilder.RefreshTokenOutput, error),
) {
	api.On("RefreshToken", mock.Anything, mock.Anything).Return(
		func(ctx context.Context, _ *amplifyuibuilder.RefreshTokenInput, _ ...func(*amplifyuibuilder.Options)) (*amplifyuibuilder.RefreshTokenOutput, error) {
			entered <- struct{}{}
			select {
			case <-release:
				return answer()
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}).Once()
}

// TestCallerContextEnds: the context of each call is its own. The call that
// makes a renewal and a call that waits for it can each give up without
// failing the other.
func TestCallerContextEnds(t *testing.T) {
	refreshed := &amplifyuibuilder.RefreshTokenOutput{AccessToken: aws.String("at"), ExpiresIn: aws.Int32(3600)}

	t.Run("the call that renews: a waiting call renews for itself", func(t *testing.T) {
		api := amplifyuibuildermock.NewClient(t)
		entered := make(chan struct{}, 1)
		heldRefresh(api, entered, nil, nil)
		api.On("RefreshToken", mock.Anything, mock.Anything).Return(refreshed, nil).Once()
		src := tokensource.FromRefreshToken(api, figma, "rt")

		renewing, giveUp := context.WithCancel(t.Context())
		defer giveUp()
		first := make(chan tokenResult, 1)
		tokenAsync(renewing, src, first)
		receive(t, entered)
		waiting := make(chan struct{}, 1)
		second := make(chan tokenResult, 1)
		tokenAsync(&waitingContext{Context: t.Context(), waiting: waiting}, src, second)
		receive(t, waiting)
		giveUp()

		assert.ErrorIs(t, receive(t, first).err, context.Canceled)
		r := receive(t, second)
		require.NoError(t, r.err)
		assert.Equal(t, "at", r.token)
	})
	t.Run("a waiting call: the renewal goes on", func(t *testing.T) {
		api := amplifyuibuildermock.NewClient(t)
		entered, release := make(chan struct{}, 1), make(chan struct{})
		heldRefresh(api, entered, release, func() (*amplifyuibuilder.RefreshTokenOutput, error) { return refreshed, nil })
		src := tokensource.FromRefreshToken(api, figma, "rt")

		first := make(chan tokenResult, 1)
		tokenAsync(t.Context(), src, first)
		receive(t, entered)
		waitingCtx, giveUp := context.WithCancel(t.Context())
		waiting := make(chan struct{}, 1)
		second := make(chan tokenResult, 1)
		tokenAsync(&waitingContext{Context: waitingCtx, waiting: waiting}, src, second)
		receive(t, waiting)
		giveUp()

		assert.ErrorIs(t, receive(t, second).err, context.Canceled)
		close(release)
		r := receive(t, first)
		require.NoError(t, r.err)
		assert.Equal(t, "at", r.token)
	})
}

// TestPanickingClient: a client that panics fails the call that made the
// renewal, and the calls waiting for it get an error instead of waiting
// forever.
func TestPanickingClient(t *testing.T) {
	api := amplifyuibuildermock.NewClient(t)
	entered, release := make(chan struct{}, 1), make(chan struct{})
	heldRefresh(api, entered, release, func() (*amplifyuibuilder.RefreshTokenOutput, error) { panic("client bug") })
	src := tokensource.FromRefreshToken(api, figma, "rt")

	panicked := make(chan any, 1)
	go func() {
		defer func() { panicked <- recover() }()
		_, _ = src.Token(t.Context())
	}()
	receive(t, entered)
	waiting := make(chan struct{}, 1)
	second := make(chan tokenResult, 1)
	tokenAsync(&waitingContext{Context: t.Context(), waiting: waiting}, src, second)
	receive(t, waiting)
	close(release)

	assert.Equal(t, "client bug", receive(t, panicked))
	r := receive(t, second)
	require.Error(t, r.err)
	assert.Empty(t, r.token)
}

// TestHookMayCallTheSource: a token hook that calls Token or Refresh on its
// own Source, with the context it is given, gets the token it is told of
// instead of waiting for its own renewal to end (a deadlock), and makes no
// second request.
func TestHookMayCallTheSource(t *testing.T) {
	api := amplifyuibuildermock.NewClient(t)
	api.On("RefreshToken", mock.Anything, mock.Anything).
		Return(&amplifyuibuilder.RefreshTokenOutput{AccessToken: aws.String("at-1"), ExpiresIn: aws.Int32(3600)}, nil).Once()
	var src *tokensource.Source
	var fromHook []tokenResult
	src = tokensource.FromRefreshToken(api, figma, "rt", tokensource.WithTokenHook(func(ctx context.Context, tokens tokensource.Tokens) {
		token, err := src.Token(ctx)
		fromHook = append(fromHook, tokenResult{token, err})
		err = src.Refresh(ctx)
		fromHook = append(fromHook, tokenResult{src.Tokens().AccessToken, err})
	}))

	results := make(chan tokenResult, 1)
	tokenAsync(t.Context(), src, results)
	r := receive(t, results)
	require.NoError(t, r.err)
	assert.Equal(t, "at-1", r.token)
	assert.Equal(t, []tokenResult{{"at-1", nil}, {"at-1", nil}}, fromHook)
}
