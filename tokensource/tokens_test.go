package tokensource_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/tokensource"
)

// hookRecorder keeps every Tokens a hook was called with.
type hookRecorder struct {
	mu    sync.Mutex
	calls []tokensource.Tokens
}

func (h *hookRecorder) hook(_ context.Context, tokens tokensource.Tokens) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls = append(h.calls, tokens)
}

func (h *hookRecorder) got() []tokensource.Tokens {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]tokensource.Tokens(nil), h.calls...)
}

// TestTokenHookAndStoredTokens: the hook gets each new access token with
// the refresh token and the real expiry, and not a pause after a failure;
// a Source built from what it got uses the stored access token without a
// request and refreshes with the stored refresh token.
func TestTokenHookAndStoredTokens(t *testing.T) {
	e := newEnv(t)
	start := e.clock.Now()
	var h hookRecorder
	src := e.fromCode(e.client, tokensource.WithTokenHook(h.hook))

	first, err := src.Token(t.Context())
	require.NoError(t, err)
	got := h.got()
	require.Len(t, got, 1)
	assert.Equal(t, first, got[0].AccessToken)
	assert.NotEmpty(t, got[0].RefreshToken)
	assert.Equal(t, start.Add(time.Hour), got[0].Expiry)
	assert.Equal(t, got[0], src.Tokens())

	e.clock.Advance(time.Hour - 30*time.Second)
	e.srv.FailNext(1, http.StatusInternalServerError, "InternalServerException")
	_, err = src.Token(t.Context())
	require.NoError(t, err)
	assert.Len(t, h.got(), 1, "no hook for a failed refresh")

	e.clock.Advance(time.Second)
	second, err := src.Token(t.Context())
	require.NoError(t, err)
	got = h.got()
	require.Len(t, got, 2)
	assert.Equal(t, second, got[1].AccessToken)
	assert.Equal(t, got[0].RefreshToken, got[1].RefreshToken, "the refresh token is kept")
	assert.Equal(t, e.clock.Now().Add(time.Hour), got[1].Expiry)

	stored := got[1]
	requests := len(e.calls())
	restored := tokensource.FromTokens(e.client, figma, stored, e.withClock(nil)...)
	token, err := restored.Token(t.Context())
	require.NoError(t, err)
	assert.Equal(t, stored.AccessToken, token)
	assert.Len(t, e.calls(), requests, "a stored valid token needs no request")

	e.clock.Advance(time.Hour - tokensource.DefaultExpiryMargin)
	token, err = restored.Token(t.Context())
	require.NoError(t, err)
	assert.NotEqual(t, stored.AccessToken, token)
	assert.True(t, e.srv.AccessTokenValid(token), "refreshed with the stored refresh token")
	assert.Equal(t, "RefreshToken 200", e.calls()[len(e.calls())-1])
}

// TestFromExchange: a Source seeded with an exchange the caller made sends
// nothing until the token is due, counted from when the exchange was sent.
func TestFromExchange(t *testing.T) {
	e := newEnv(t)
	issued := e.clock.Now()
	out, err := e.client.ExchangeCodeForToken(t.Context(), exchangeInput(e.srv.IssueCode(redirectURI)))
	require.NoError(t, err)
	var h hookRecorder
	e.clock.Advance(10 * time.Second) // the caller builds the Source a little later
	src := tokensource.FromExchange(e.client, figma, out, issued, e.withClock([]tokensource.Option{tokensource.WithTokenHook(h.hook)})...)

	token, err := src.Token(t.Context())
	require.NoError(t, err)
	assert.Equal(t, *out.AccessToken, token)
	assert.Equal(t, tokensource.Tokens{AccessToken: *out.AccessToken, RefreshToken: *out.RefreshToken, Expiry: issued.Add(time.Hour)}, src.Tokens())
	assert.Equal(t, []string{"ExchangeCodeForToken 200"}, e.calls(), "no extra refresh")
	assert.Empty(t, h.got(), "the seed is the caller's already")

	e.clock.Advance(time.Hour - tokensource.DefaultExpiryMargin - 10*time.Second)
	token, err = src.Token(t.Context())
	require.NoError(t, err)
	assert.NotEqual(t, *out.AccessToken, token)
	assert.Equal(t, []string{"ExchangeCodeForToken 200", "RefreshToken 200"}, e.calls())
	assert.Len(t, h.got(), 1)

	t.Run("an output without an access token refreshes on first use", func(t *testing.T) {
		src := tokensource.FromExchange(e.client, figma, &amplifyuibuilder.ExchangeCodeForTokenOutput{RefreshToken: out.RefreshToken}, issued, e.withClock(nil)...)
		token, err := src.Token(t.Context())
		require.NoError(t, err)
		assert.True(t, e.srv.AccessTokenValid(token))
	})
	t.Run("no output: no refresh token", func(t *testing.T) {
		src := tokensource.FromExchange(e.client, figma, nil, issued, e.withClock(nil)...)
		_, err := src.Token(t.Context())
		assert.ErrorIs(t, err, tokensource.ErrNoRefreshToken)
	})
}

func TestTokensPrintRedacted(t *testing.T) {
	tokens := tokensource.Tokens{AccessToken: "at-secret-1", RefreshToken: "rt-secret-2", Expiry: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out := fmt.Sprintf(verb, tokens)
		assert.NotContains(t, out, "secret", verb)
		assert.Contains(t, out, "[REDACTED]", verb)
	}
	assert.Contains(t, fmt.Sprintf("%v", tokens), "2025-06-01")
	assert.Contains(t, fmt.Sprintf("%v", tokensource.Tokens{AccessToken: "x"}), "RefreshToken:<nil>", "absence stays visible")
}

// TestSourcePrintsRedacted: a Source printed with any verb, by pointer or
// inside a struct, shows none of its code, client id or tokens.
func TestSourcePrintsRedacted(t *testing.T) {
	e := newEnv(t)
	code := e.srv.IssueCode(redirectURI)
	const clientID = "client-id-secret-3"
	pending := tokensource.FromCode(e.client, figma, code, redirectURI, e.withClock([]tokensource.Option{tokensource.WithClientID(clientID)})...)
	used := e.fromCode(e.client, tokensource.WithClientID(clientID))
	access, err := used.Token(t.Context())
	require.NoError(t, err)
	secrets := []string{code, clientID, access, used.Tokens().RefreshToken}

	for _, src := range []*tokensource.Source{pending, used} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			for _, value := range []any{src, struct{ Src *tokensource.Source }{src}} {
				out := fmt.Sprintf(verb, value)
				for _, secret := range secrets {
					assert.NotContains(t, out, secret, verb)
				}
			}
		}
	}
	assert.Contains(t, fmt.Sprintf("%v", pending), "Code:[REDACTED]", "a pending code shows as set")
	assert.Contains(t, fmt.Sprintf("%v", used), "Code:<nil>")
	assert.Contains(t, fmt.Sprintf("%v", used), "AccessToken:[REDACTED]")
	assert.Contains(t, fmt.Sprintf("%v", used), "2025-06-01", "the expiry is shown")
}
