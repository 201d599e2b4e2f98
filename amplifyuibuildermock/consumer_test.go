package amplifyuibuildermock_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildermock"
	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// This file is a sample consumer: application code that takes the
// interfaces, and its tests, which inject the mock or a real client talking
// to the test server.

// figmaSession is what the sample application keeps once a user has
// connected Figma.
type figmaSession struct {
	AccessToken  string
	RefreshToken string
	ExpiresAt    time.Time
}

// errCodeRejected tells the user to authorize again: the code was wrong or
// already used.
var errCodeRejected = errors.New("figma authorization expired, please connect again")

// connectFigma trades the code the user came back with for a session.
func connectFigma(ctx context.Context, api amplifyuibuilder.ExchangeCodeForTokenAPI, code, redirectURI string, now time.Time) (figmaSession, error) {
	out, err := api.ExchangeCodeForToken(ctx, &amplifyuibuilder.ExchangeCodeForTokenInput{
		Provider: types.TokenProvidersFigma,
		Request:  &types.ExchangeCodeForTokenRequestBody{Code: aws.String(code), RedirectUri: aws.String(redirectURI)},
	})
	var invalid *types.InvalidParameterException
	switch {
	case errors.As(err, &invalid):
		return figmaSession{}, errCodeRejected
	case err != nil:
		return figmaSession{}, fmt.Errorf("connect figma: %w", err)
	case out.AccessToken == nil || out.RefreshToken == nil || out.ExpiresIn == nil:
		return figmaSession{}, errors.New("connect figma: incomplete token response")
	}
	return figmaSession{
		AccessToken:  *out.AccessToken,
		RefreshToken: *out.RefreshToken,
		ExpiresAt:    now.Add(time.Duration(*out.ExpiresIn) * time.Second),
	}, nil
}

// renew gets a new access token for the session; the refresh token stays.
func renew(ctx context.Context, api amplifyuibuilder.RefreshTokenAPI, s figmaSession, now time.Time) (figmaSession, error) {
	out, err := api.RefreshToken(ctx, &amplifyuibuilder.RefreshTokenInput{
		Provider:         types.TokenProvidersFigma,
		RefreshTokenBody: &types.RefreshTokenRequestBody{Token: aws.String(s.RefreshToken)},
	})
	if err != nil {
		return figmaSession{}, fmt.Errorf("renew figma session: %w", err)
	}
	s.AccessToken = aws.ToString(out.AccessToken)
	s.ExpiresAt = now.Add(time.Duration(aws.ToInt32(out.ExpiresIn)) * time.Second)
	return s, nil
}

var now = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

// exchangeOf matches an ExchangeCodeForToken input for the code and
// redirect URI.
func exchangeOf(code, redirectURI string) any {
	return mock.MatchedBy(func(in *amplifyuibuilder.ExchangeCodeForTokenInput) bool {
		return in.Provider == types.TokenProvidersFigma &&
			aws.ToString(in.Request.Code) == code && aws.ToString(in.Request.RedirectUri) == redirectURI
	})
}

func TestConnectFigmaWithMock(t *testing.T) {
	api := amplifyuibuildermock.NewClient(t)
	api.On("ExchangeCodeForToken", mock.Anything, exchangeOf("code-1", "https://app.example/cb")).
		Return(&amplifyuibuilder.ExchangeCodeForTokenOutput{
			AccessToken: aws.String("at"), RefreshToken: aws.String("rt"), ExpiresIn: aws.Int32(3600),
		}, nil).Once()

	session, err := connectFigma(t.Context(), api, "code-1", "https://app.example/cb", now)

	require.NoError(t, err)
	assert.Equal(t, figmaSession{AccessToken: "at", RefreshToken: "rt", ExpiresAt: now.Add(time.Hour)}, session)
}

func TestConnectFigmaRejectedCode(t *testing.T) {
	api := amplifyuibuildermock.NewClient(t)
	api.On("ExchangeCodeForToken", mock.Anything, mock.Anything).
		Return(nil, &types.InvalidParameterException{Message: aws.String("used")})

	_, err := connectFigma(t.Context(), api, "code-1", "https://app.example/cb", now)

	assert.ErrorIs(t, err, errCodeRejected)
}

func TestConnectFigmaIncompleteResponse(t *testing.T) {
	api := amplifyuibuildermock.NewClient(t)
	api.On("ExchangeCodeForToken", mock.Anything, mock.Anything).
		Return(&amplifyuibuilder.ExchangeCodeForTokenOutput{AccessToken: aws.String("at")}, nil)

	_, err := connectFigma(t.Context(), api, "code-1", "https://app.example/cb", now)

	assert.EqualError(t, err, "connect figma: incomplete token response")
}

func TestConnectFigmaPassesContext(t *testing.T) {
	type key struct{}
	ctx := context.WithValue(t.Context(), key{}, "request-42")
	api := amplifyuibuildermock.NewClient(t)
	api.On("ExchangeCodeForToken", ctx, mock.Anything).Return(
		func(ctx context.Context, _ *amplifyuibuilder.ExchangeCodeForTokenInput, _ ...func(*amplifyuibuilder.Options)) (*amplifyuibuilder.ExchangeCodeForTokenOutput, error) {
			return nil, fmt.Errorf("boom in %v", ctx.Value(key{}))
		})

	_, err := connectFigma(ctx, api, "code-1", "https://app.example/cb", now)

	assert.EqualError(t, err, "connect figma: boom in request-42")
}

func TestRenewWithMock(t *testing.T) {
	api := amplifyuibuildermock.NewClient(t)
	api.On("RefreshToken", mock.Anything, mock.MatchedBy(func(in *amplifyuibuilder.RefreshTokenInput) bool {
		return aws.ToString(in.RefreshTokenBody.Token) == "rt"
	})).Return(&amplifyuibuilder.RefreshTokenOutput{AccessToken: aws.String("at-2"), ExpiresIn: aws.Int32(60)}, nil)

	session, err := renew(t.Context(), api, figmaSession{AccessToken: "at", RefreshToken: "rt"}, now)

	require.NoError(t, err)
	assert.Equal(t, figmaSession{AccessToken: "at-2", RefreshToken: "rt", ExpiresAt: now.Add(time.Minute)}, session)
}

func TestOptionFunctionsAreMatchedAsArguments(t *testing.T) {
	api := amplifyuibuildermock.NewClient(t)
	// testify lets mock.Anything stand for a missing argument too, so the
	// expectation with fewer arguments goes first.
	api.On("RefreshToken", mock.Anything, mock.Anything).Return(nil, errors.New("without options"))
	api.On("RefreshToken", mock.Anything, mock.Anything, mock.Anything).Return(nil, errors.New("with options"))

	_, withOpts := api.RefreshToken(t.Context(), nil, func(*amplifyuibuilder.Options) {})
	_, without := api.RefreshToken(t.Context(), nil)

	assert.EqualError(t, withOpts, "with options")
	assert.EqualError(t, without, "without options")
}

// recordingT is a TestingT that remembers failures instead of failing.
type recordingT struct {
	failures []string
	cleanups []func()
}

func (r *recordingT) Logf(string, ...any) {}
func (r *recordingT) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}
func (r *recordingT) FailNow()          { r.failures = append(r.failures, "FailNow") }
func (r *recordingT) Cleanup(fn func()) { r.cleanups = append(r.cleanups, fn) }

func TestNewClientReportsUnmetExpectations(t *testing.T) {
	rec := &recordingT{}
	api := amplifyuibuildermock.NewClient(rec)
	api.On("ExchangeCodeForToken", mock.Anything, mock.Anything).Return(nil, nil)

	for _, fn := range rec.cleanups {
		fn()
	}

	require.NotEmpty(t, rec.failures, "the expected call never came")
}

// TestConnectFigmaWithTestServer runs the same consumer against the real
// client and the local endpoint: what the mock stood for, on the wire.
func TestConnectFigmaWithTestServer(t *testing.T) {
	srv := amplifyuibuildertest.NewServer()
	defer srv.Close()
	client := srv.Client()
	code := srv.IssueCode("https://app.example/cb")

	session, err := connectFigma(t.Context(), client, code, "https://app.example/cb", now)
	require.NoError(t, err)
	assert.True(t, srv.AccessTokenValid(session.AccessToken))
	assert.Equal(t, now.Add(amplifyuibuildertest.DefaultAccessTokenLifetime), session.ExpiresAt)

	renewed, err := renew(t.Context(), client, session, now)
	require.NoError(t, err)
	assert.NotEqual(t, session.AccessToken, renewed.AccessToken)
	assert.True(t, srv.AccessTokenValid(renewed.AccessToken))

	_, err = connectFigma(t.Context(), client, code, "https://app.example/cb", now)
	assert.ErrorIs(t, err, errCodeRejected, "the code was single-use")
}
