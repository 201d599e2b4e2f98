package tokensource_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	smithy "github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
	"github.com/uibuilder-go/amplifyuibuilder/tokensource"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// The Source against the local endpoint, over loopback, with the server, the
// client's signer and the Source on one fake clock.

func TestFirstUseExchanges(t *testing.T) {
	e := newEnv(t)
	code := e.srv.IssueCode(redirectURI)
	src := tokensource.FromCode(e.client, figma, code, redirectURI, e.withClock(nil)...)
	assert.Empty(t, e.calls(), "building a Source sends nothing")

	token, err := src.Token(t.Context())
	require.NoError(t, err)
	assert.True(t, e.srv.AccessTokenValid(token))
	require.Equal(t, []string{"ExchangeCodeForToken 200"}, e.calls())
	assert.JSONEq(t, `{"code":"`+code+`","redirectUri":"`+redirectURI+`"}`, string(e.srv.Requests()[0].Body))

	again, err := src.Token(t.Context())
	require.NoError(t, err)
	assert.Equal(t, token, again, "a valid token is reused")
	assert.Len(t, e.calls(), 1)
}

// TestExpiryTriggersRefresh: the access token is refreshed once the clock
// reaches the margin before its expiry, not a second earlier, and every
// refresh presents the refresh token the exchange returned.
func TestExpiryTriggersRefresh(t *testing.T) {
	const lifetime = time.Hour
	for _, tc := range []struct {
		name    string
		opts    []tokensource.Option
		renewAt time.Duration // after the exchange
	}{
		{"default margin", nil, lifetime - tokensource.DefaultExpiryMargin},
		{"five minutes", []tokensource.Option{tokensource.WithExpiryMargin(5 * time.Minute)}, lifetime - 5*time.Minute},
		{"no margin", []tokensource.Option{tokensource.WithExpiryMargin(0)}, lifetime},
		{"a negative margin is none", []tokensource.Option{tokensource.WithExpiryMargin(-time.Minute)}, lifetime},
		{"a margin beyond half the lifetime renews at half", []tokensource.Option{tokensource.WithExpiryMargin(2 * time.Hour)}, lifetime / 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, amplifyuibuildertest.WithAccessTokenLifetime(lifetime))
			src := e.fromCode(e.client, tc.opts...)
			first, err := src.Token(t.Context())
			require.NoError(t, err)

			e.clock.Advance(tc.renewAt - time.Second)
			same, err := src.Token(t.Context())
			require.NoError(t, err)
			assert.Equal(t, first, same)
			assert.Len(t, e.calls(), 1, "no refresh before the margin")

			e.clock.Advance(time.Second)
			second, err := src.Token(t.Context())
			require.NoError(t, err)
			assert.NotEqual(t, first, second)
			assert.True(t, e.srv.AccessTokenValid(second))

			e.clock.Advance(tc.renewAt)
			third, err := src.Token(t.Context())
			require.NoError(t, err)
			assert.True(t, e.srv.AccessTokenValid(third))

			require.Equal(t, []string{"ExchangeCodeForToken 200", "RefreshToken 200", "RefreshToken 200"}, e.calls())
			bodies := e.refreshBodies()
			assert.Equal(t, bodies[0], bodies[1], "the refresh token is kept across refreshes")
		})
	}
}

// TestShortLifetimeRenewedAtHalfLife: a token that lives less than twice the
// margin is renewed halfway through its life, not on every call.
func TestShortLifetimeRenewedAtHalfLife(t *testing.T) {
	e := newEnv(t, amplifyuibuildertest.WithAccessTokenLifetime(40*time.Second))
	src := e.fromCode(e.client)
	first, err := src.Token(t.Context())
	require.NoError(t, err)

	e.clock.Advance(19 * time.Second)
	same, err := src.Token(t.Context())
	require.NoError(t, err)
	assert.Equal(t, first, same)

	e.clock.Advance(time.Second)
	_, err = src.Token(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []string{"ExchangeCodeForToken 200", "RefreshToken 200"}, e.calls())
}

// TestConcurrentCallersShareOneRenewal: while one call renews the token, held
// in the client, every other caller waits for it: the server sees one
// request, and every caller gets its outcome. A failed renewal is shared the
// same way, and the next call tries again.
func TestConcurrentCallersShareOneRenewal(t *testing.T) {
	const callers = 16
	for _, tc := range []struct {
		name      string
		operation string // the operation the callers share
		fail      bool
	}{
		{"first use: one exchange", amplifyuibuildertest.OperationExchangeCodeForToken, false},
		{"expired: one refresh", amplifyuibuildertest.OperationRefreshToken, false},
		{"expired: one refresh that fails", amplifyuibuildertest.OperationRefreshToken, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			held, release := make(chan struct{}, callers), make(chan struct{})
			releaseAll := sync.OnceFunc(func() { close(release) })
			t.Cleanup(releaseAll)
			src := e.fromCode(heldClient{Client: e.client, hold: tc.operation, held: held, release: release})
			var before []string
			if tc.operation == amplifyuibuildertest.OperationRefreshToken {
				_, err := src.Token(t.Context())
				require.NoError(t, err)
				e.clock.Advance(time.Hour)
				before = e.calls()
			}

			results := make(chan tokenResult, callers)
			tokenAsync(t.Context(), src, results)
			receive(t, held)
			waiting := make(chan struct{}, callers)
			for range callers - 1 {
				tokenAsync(&waitingContext{Context: t.Context(), waiting: waiting}, src, results)
			}
			for range callers - 1 {
				select {
				case <-waiting:
				case <-held:
					t.Fatal("a second call went to the service while one was in flight")
				case <-time.After(hangGuard):
					t.Fatal("the callers did not wait for the renewal in flight")
				}
			}
			if tc.fail {
				e.srv.FailNext(1, http.StatusInternalServerError, "InternalServerException")
			}
			releaseAll()

			var tokens []string
			for range callers {
				r := receive(t, results)
				if tc.fail {
					var apiErr smithy.APIError
					require.ErrorAs(t, r.err, &apiErr)
					assert.Equal(t, "InternalServerException", apiErr.ErrorCode())
					continue
				}
				require.NoError(t, r.err)
				tokens = append(tokens, r.token)
			}
			status := "200"
			if tc.fail {
				status = "500"
			}
			assert.Equal(t, append(before, tc.operation+" "+status), e.calls(), "one request for all the callers")
			if !tc.fail {
				assert.True(t, e.srv.AccessTokenValid(tokens[0]))
				for _, token := range tokens {
					assert.Equal(t, tokens[0], token)
				}
				return
			}

			token, err := src.Token(t.Context())
			require.NoError(t, err, "the Source tries again after a failed refresh")
			assert.True(t, e.srv.AccessTokenValid(token))
			assert.Equal(t, "RefreshToken 200", e.calls()[len(e.calls())-1])
		})
	}
}

// TestFailedRefreshThenRecovery: a refresh that fails returns the service's
// error; the Source keeps its refresh token and the next call succeeds.
func TestFailedRefreshThenRecovery(t *testing.T) {
	e := newEnv(t)
	src := e.fromCode(e.client)
	first, err := src.Token(t.Context())
	require.NoError(t, err)
	e.clock.Advance(time.Hour)
	e.srv.FailNext(1, http.StatusInternalServerError, "InternalServerException")

	_, err = src.Token(t.Context())
	var apiErr smithy.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "InternalServerException", apiErr.ErrorCode())
	assert.NotErrorIs(t, err, tokensource.ErrCodeSpent)

	token, err := src.Token(t.Context())
	require.NoError(t, err)
	assert.NotEqual(t, first, token)
	assert.True(t, e.srv.AccessTokenValid(token))
	require.Equal(t, []string{"ExchangeCodeForToken 200", "RefreshToken 500", "RefreshToken 200"}, e.calls())
	bodies := e.refreshBodies()
	assert.Equal(t, bodies[0], bodies[1], "the retry presents the same refresh token")
}

// TestReusedCode: a second Source built from a code already exchanged gets
// the service's InvalidParameterException, and does not send the code again.
func TestReusedCode(t *testing.T) {
	e := newEnv(t)
	code := e.srv.IssueCode(redirectURI)
	first := tokensource.FromCode(e.client, figma, code, redirectURI, e.withClock(nil)...)
	_, err := first.Token(t.Context())
	require.NoError(t, err)

	second := tokensource.FromCode(e.client, figma, code, redirectURI, e.withClock(nil)...)
	_, err = second.Token(t.Context())
	var invalid *types.InvalidParameterException
	require.ErrorAs(t, err, &invalid)
	assert.Contains(t, invalid.ErrorMessage(), "already been used")
	assert.ErrorIs(t, err, tokensource.ErrCodeSpent)
	assert.NotContains(t, err.Error(), code)

	_, again := second.Token(t.Context())
	assert.Equal(t, err, again)
	assert.Equal(t, []string{"ExchangeCodeForToken 200", "ExchangeCodeForToken 400"}, e.calls())
}

// TestFailedExchangeSpendsTheCode: after any failed exchange the service may
// have consumed the code, so the Source never sends it again, as the
// ExchangeCodeForToken documentation asks of every caller.
func TestFailedExchangeSpendsTheCode(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault func(srv *amplifyuibuildertest.Server)
		calls []string
		check func(t *testing.T, err error)
	}{
		{
			name: "an internal error",
			fault: func(srv *amplifyuibuildertest.Server) {
				srv.FailNext(1, http.StatusInternalServerError, "InternalServerException")
			},
			calls: []string{"ExchangeCodeForToken 500"},
			check: func(t *testing.T, err error) {
				var apiErr smithy.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, "InternalServerException", apiErr.ErrorCode())
			},
		},
		{
			name:  "the answer lost with the connection",
			fault: func(srv *amplifyuibuildertest.Server) { srv.DropNext(1) },
			calls: []string{"ExchangeCodeForToken 0"},
			check: func(t *testing.T, err error) {
				var opErr *smithy.OperationError
				require.ErrorAs(t, err, &opErr)
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			tc.fault(e.srv)
			src := e.fromCode(e.client)

			_, err := src.Token(t.Context())
			require.ErrorIs(t, err, tokensource.ErrCodeSpent)
			tc.check(t, err)

			_, again := src.Token(t.Context())
			assert.Equal(t, err, again)
			assert.Equal(t, tc.calls, e.calls(), "the code is sent once")
		})
	}
}

// TestUnsentExchangeKeepsTheCode: a call that sends nothing (its context has
// already ended, or the client refuses the input) does not spend the code.
func TestUnsentExchangeKeepsTheCode(t *testing.T) {
	t.Run("context already ended", func(t *testing.T) {
		e := newEnv(t)
		src := e.fromCode(e.client)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := src.Token(ctx)
		assert.ErrorIs(t, err, context.Canceled)
		assert.NotErrorIs(t, err, tokensource.ErrCodeSpent)
		assert.Empty(t, e.calls())

		token, err := src.Token(t.Context())
		require.NoError(t, err)
		assert.True(t, e.srv.AccessTokenValid(token))
	})
	t.Run("input the client refuses", func(t *testing.T) {
		e := newEnv(t)
		src := tokensource.FromCode(e.client, "", e.srv.IssueCode(redirectURI), redirectURI, e.withClock(nil)...)
		for range 2 {
			_, err := src.Token(t.Context())
			var invalid smithy.InvalidParamsError
			require.ErrorAs(t, err, &invalid)
			assert.NotErrorIs(t, err, tokensource.ErrCodeSpent)
		}
		assert.Empty(t, e.calls())
	})
}

// TestExchangeNeverWrittenKeepsTheCode: an exchange that fails before a
// byte of its request is written (no connection could be made, or the
// caller's context ended while dialling) never presented the code, so the
// Source keeps it and a later call exchanges it, once.
func TestExchangeNeverWrittenKeepsTheCode(t *testing.T) {
	for _, tc := range []struct {
		name string
		// dial fails the first dial, given the call's cancel.
		dial func(ctx context.Context, cancel context.CancelFunc) error
		want error
	}{
		{"connection refused", func(context.Context, context.CancelFunc) error {
			return &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
		}, syscall.ECONNREFUSED},
		{"context ended while dialling", func(ctx context.Context, cancel context.CancelFunc) error {
			cancel()
			<-ctx.Done()
			return ctx.Err()
		}, context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var dials atomic.Int32
			var dialer net.Dialer
			transport := &http.Transport{DialContext: func(dialCtx context.Context, network, addr string) (net.Conn, error) {
				if dials.Add(1) == 1 {
					return nil, tc.dial(dialCtx, cancel)
				}
				return dialer.DialContext(dialCtx, network, addr)
			}}
			t.Cleanup(transport.CloseIdleConnections)
			client := e.srv.Client(func(o *amplifyuibuilder.Options) {
				o.HTTPClient = &http.Client{Transport: transport}
				o.RetryMaxAttempts = 1
			})
			src := e.fromCode(client)

			_, err := src.Token(ctx)
			require.ErrorIs(t, err, tc.want)
			assert.NotErrorIs(t, err, tokensource.ErrCodeSpent)
			assert.Empty(t, e.calls(), "nothing reached the service")

			token, err := src.Token(t.Context())
			require.NoError(t, err, "the code, never sent, is exchanged now")
			assert.True(t, e.srv.AccessTokenValid(token))
			assert.Equal(t, []string{"ExchangeCodeForToken 200"}, e.calls())
		})
	}
}

func TestClientIDSentWithEveryCall(t *testing.T) {
	e := newEnv(t)
	src := e.fromCode(e.client, tokensource.WithClientID("client-1"))
	_, err := src.Token(t.Context())
	require.NoError(t, err)
	e.clock.Advance(time.Hour)
	_, err = src.Token(t.Context())
	require.NoError(t, err)

	requests := e.srv.Requests()
	require.Len(t, requests, 2)
	for _, r := range requests {
		var body map[string]string
		require.NoError(t, json.Unmarshal(r.Body, &body))
		assert.Equal(t, "client-1", body["clientId"], r.Operation)
	}
}

func TestFromRefreshToken(t *testing.T) {
	e := newEnv(t)
	out, err := e.client.ExchangeCodeForToken(t.Context(), exchangeInput(e.srv.IssueCode(redirectURI)))
	require.NoError(t, err)
	src := tokensource.FromRefreshToken(e.client, figma, *out.RefreshToken, e.withClock(nil)...)

	token, err := src.Token(t.Context())
	require.NoError(t, err)
	assert.True(t, e.srv.AccessTokenValid(token))
	assert.NotEqual(t, *out.AccessToken, token)
	assert.Equal(t, []string{"ExchangeCodeForToken 200", "RefreshToken 200"}, e.calls())

	t.Run("a refresh token the service did not issue", func(t *testing.T) {
		src := tokensource.FromRefreshToken(e.client, figma, "refresh-made-up", e.withClock(nil)...)
		_, err := src.Token(t.Context())
		var invalid *types.InvalidParameterException
		require.ErrorAs(t, err, &invalid)
		assert.NotContains(t, err.Error(), "refresh-made-up")
	})
}

// TestOAuth2Client: oauth2.NewClient calls a stand-in for Figma's API, which
// accepts a Bearer token only if the local endpoint issued it and it has not
// expired. Moving the clock past the renewal time makes the next API call
// carry a refreshed token.
//
// oauth2.NewClient puts an oauth2.ReuseTokenSource in front of the Source,
// which compares a token's Expiry with the real clock. The fake clock runs in
// the past, so to it every token has expired, and it asks the Source each
// time: what this test checks is that the Source, on its clock, renews when
// it must and only then. (Against the real clock, ReuseTokenSource comes back
// at Expiry, which TestOAuth2Token checks is the renewal time.)
func TestOAuth2Client(t *testing.T) {
	e := newEnv(t)
	var mu sync.Mutex
	var bearers []string
	figmaAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		mu.Lock()
		bearers = append(bearers, token)
		mu.Unlock()
		if !ok || !e.srv.AccessTokenValid(token) {
			http.Error(w, `{"status":403,"err":"Invalid token"}`, http.StatusForbidden)
			return
		}
		_, _ = w.Write([]byte(`{"handle":"figma-user"}`))
	}))
	t.Cleanup(figmaAPI.Close)
	src := e.fromCode(e.client)
	client := oauth2.NewClient(t.Context(), src.OAuth2(t.Context()))
	get := func() int {
		t.Helper()
		resp, err := client.Get(figmaAPI.URL + "/v1/me")
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		return resp.StatusCode
	}

	assert.Equal(t, http.StatusOK, get())
	assert.Equal(t, http.StatusOK, get())
	assert.Equal(t, []string{"ExchangeCodeForToken 200"}, e.calls())

	e.clock.Advance(time.Hour)
	assert.Equal(t, http.StatusOK, get(), "the expired token was refreshed")
	assert.Equal(t, []string{"ExchangeCodeForToken 200", "RefreshToken 200"}, e.calls())
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, bearers, 3)
	assert.Equal(t, bearers[0], bearers[1])
	assert.NotEqual(t, bearers[1], bearers[2])
}

// TestOAuth2Token: the oauth2.Token carries the access token as a Bearer
// token and never the refresh token; its Expiry is when the Source renews
// it.
func TestOAuth2Token(t *testing.T) {
	e := newEnv(t)
	start := e.clock.Now()
	src := e.fromCode(e.client, tokensource.WithExpiryMargin(5*time.Minute))

	tok, err := src.OAuth2(t.Context()).Token()
	require.NoError(t, err)
	assert.True(t, e.srv.AccessTokenValid(tok.AccessToken))
	assert.Equal(t, "Bearer", tok.Type())
	assert.Empty(t, tok.RefreshToken)
	assert.Equal(t, start.Add(time.Hour-5*time.Minute), tok.Expiry)

	token, err := src.Token(t.Context())
	require.NoError(t, err)
	assert.Equal(t, tok.AccessToken, token)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	e.clock.Advance(time.Hour)
	_, err = src.OAuth2(ctx).Token()
	assert.ErrorIs(t, err, context.Canceled, "renewals use the context OAuth2 was given")
}

func TestErrorsQuoteNoSecrets(t *testing.T) {
	e := newEnv(t)
	code := e.srv.IssueCode(redirectURI)
	src := tokensource.FromCode(e.client, figma, code, "https://other.example/cb", e.withClock([]tokensource.Option{tokensource.WithClientID("client-secret-1")})...)
	_, err := src.Token(t.Context())
	require.ErrorIs(t, err, tokensource.ErrCodeSpent)
	for _, secret := range []string{code, "client-secret-1", e.srv.Credentials().SecretAccessKey} {
		assert.NotContains(t, err.Error(), secret)
	}
	var invalid *types.InvalidParameterException
	assert.True(t, errors.As(err, &invalid))
}
