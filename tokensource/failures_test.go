package tokensource_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	smithy "github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
	"github.com/uibuilder-go/amplifyuibuilder/tokensource"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// retryingClient is a client of e's server with the SDK's standard retries
// (3 attempts) and no wait between them, so that a transient failure is
// what a real caller sees: the client gave up after three answers.
func (e *env) retryingClient() *amplifyuibuilder.Client {
	return e.srv.Client(func(o *amplifyuibuilder.Options) {
		o.Retryer = retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 3
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		})
	})
}

// TestTransientFailureKeepsValidToken: a refresh that fails transiently
// (3× 503) while the access token is still valid for 30 s returns that token,
// not the error. The next try waits a pause on the fake clock (1 s, then 2 s
// after a second failure), and once the token has expired a failure is the
// call's error.
func TestTransientFailureKeepsValidToken(t *testing.T) {
	e := newEnv(t)
	src := e.fromCode(e.retryingClient())
	first, err := src.Token(t.Context())
	require.NoError(t, err)
	calls := []string{"ExchangeCodeForToken 200"}
	failThrice := func() {
		e.srv.FailNext(3, http.StatusServiceUnavailable, "ServiceUnavailableException")
		calls = append(calls, "RefreshToken 503", "RefreshToken 503", "RefreshToken 503")
	}

	e.clock.Advance(time.Hour - 30*time.Second) // within the margin, 30 s before expiry
	failThrice()
	token, err := src.Token(t.Context())
	require.NoError(t, err, "a valid token is the answer while the refresh fails")
	assert.Equal(t, first, token)
	assert.Equal(t, calls, e.calls())

	token, err = src.Token(t.Context())
	require.NoError(t, err)
	assert.Equal(t, first, token)
	assert.Equal(t, calls, e.calls(), "no request during the pause")

	e.clock.Advance(time.Second) // the first pause is over: try again, fail again
	failThrice()
	token, err = src.Token(t.Context())
	require.NoError(t, err)
	assert.Equal(t, first, token)
	assert.Equal(t, calls, e.calls())

	e.clock.Advance(time.Second) // the second pause is 2 s
	_, err = src.Token(t.Context())
	require.NoError(t, err)
	assert.Equal(t, calls, e.calls(), "the pause doubles")

	e.clock.Advance(time.Second)
	token, err = src.Token(t.Context())
	require.NoError(t, err)
	assert.NotEqual(t, first, token, "a later call retries and gets a new token")
	assert.True(t, e.srv.AccessTokenValid(token))
	calls = append(calls, "RefreshToken 200")
	assert.Equal(t, calls, e.calls())

	t.Run("an expired token: the failure is the error", func(t *testing.T) {
		e.clock.Advance(time.Hour)
		e.srv.FailNext(3, http.StatusServiceUnavailable, "ServiceUnavailableException")
		_, err := src.Token(t.Context())
		var apiErr smithy.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "ServiceUnavailableException", apiErr.ErrorCode())
		assert.NotErrorIs(t, err, tokensource.ErrRefreshRefused)

		token, err := src.Token(t.Context())
		require.NoError(t, err, "with no valid token, every call tries: no pause")
		assert.True(t, e.srv.AccessTokenValid(token))
	})
}

// TestRefusedRefreshRemembered: once the service refuses the refresh token
// (InvalidParameterException), ten calls send no further request and all
// return the refusal; a new Source asks again.
func TestRefusedRefreshRemembered(t *testing.T) {
	e := newEnv(t)
	stored := tokensource.Tokens{AccessToken: "at-stored", RefreshToken: "refresh-revoked", Expiry: e.clock.Now().Add(30 * time.Second)}
	src := tokensource.FromTokens(e.client, figma, stored, e.withClock(nil)...)

	var first error
	for i := range 10 {
		_, err := src.Token(t.Context())
		require.ErrorIs(t, err, tokensource.ErrRefreshRefused, "call %d", i)
		var invalid *types.InvalidParameterException
		require.ErrorAs(t, err, &invalid)
		assert.NotContains(t, err.Error(), "refresh-revoked")
		if first == nil {
			first = err
		}
		assert.Equal(t, first, err)
	}
	require.ErrorIs(t, src.Refresh(t.Context()), tokensource.ErrRefreshRefused)
	assert.Equal(t, []string{"RefreshToken 400"}, e.calls(), "one request for eleven calls")

	again := tokensource.FromTokens(e.client, figma, stored, e.withClock(nil)...)
	_, err := again.Token(t.Context())
	require.ErrorIs(t, err, tokensource.ErrRefreshRefused)
	assert.Equal(t, []string{"RefreshToken 400", "RefreshToken 400"}, e.calls(), "a new Source asks again")
}

// TestRefreshForces: Refresh renews a token that is not due, and returns a
// transient failure as its error while Token keeps the valid token.
func TestRefreshForces(t *testing.T) {
	e := newEnv(t)
	src := e.fromCode(e.client)
	first, err := src.Token(t.Context())
	require.NoError(t, err)

	require.NoError(t, src.Refresh(t.Context()))
	second, err := src.Token(t.Context())
	require.NoError(t, err)
	assert.NotEqual(t, first, second)
	assert.True(t, e.srv.AccessTokenValid(second))

	e.srv.FailNext(1, http.StatusInternalServerError, "InternalServerException")
	var apiErr smithy.APIError
	require.ErrorAs(t, src.Refresh(t.Context()), &apiErr)
	assert.Equal(t, "InternalServerException", apiErr.ErrorCode())
	token, err := src.Token(t.Context())
	require.NoError(t, err)
	assert.Equal(t, second, token)
	assert.Equal(t, []string{"ExchangeCodeForToken 200", "RefreshToken 200", "RefreshToken 500"}, e.calls())
}

// TestTransientFailureSharedByWaiters: callers that waited for a refresh
// that failed transiently get the still-valid token too, from the one
// request.
func TestTransientFailureSharedByWaiters(t *testing.T) {
	const callers = 4
	e := newEnv(t)
	held, release := make(chan struct{}, callers), make(chan struct{})
	src := e.fromCode(heldClient{Client: e.client, hold: amplifyuibuildertest.OperationRefreshToken, held: held, release: release})
	first, err := src.Token(t.Context())
	require.NoError(t, err)
	e.clock.Advance(time.Hour - 30*time.Second)
	e.srv.FailNext(1, http.StatusServiceUnavailable, "ServiceUnavailableException")

	results := make(chan tokenResult, callers)
	tokenAsync(t.Context(), src, results)
	receive(t, held)
	waiting := make(chan struct{}, callers)
	for range callers - 1 {
		tokenAsync(&waitingContext{Context: t.Context(), waiting: waiting}, src, results)
	}
	for range callers - 1 {
		receive(t, waiting)
	}
	close(release)
	for range callers {
		r := receive(t, results)
		require.NoError(t, r.err)
		assert.Equal(t, first, r.token)
	}
	assert.Equal(t, []string{"ExchangeCodeForToken 200", "RefreshToken 503"}, e.calls())
}
