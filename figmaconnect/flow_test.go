package figmaconnect_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
	"github.com/uibuilder-go/amplifyuibuilder/figmaconnect"
	"github.com/uibuilder-go/amplifyuibuilder/internal/testkit"
)

const cookieName = "figmaconnect-state" // on http; __Host- on https

func TestAuthorizeURL(t *testing.T) {
	for _, tc := range []struct {
		name, base, want string
	}{
		{"Figma by default", "", "https://www.figma.com/oauth?client_id=id+1&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1&response_type=code&scope=file_read&state=st-1"},
		{"a base with a query keeps it", "http://127.0.0.1:9/oauth?tenant=a", "http://127.0.0.1:9/oauth?client_id=id+1&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1&response_type=code&scope=file_read&state=st-1&tenant=a"},
		{"the base's own parameters are replaced", "http://127.0.0.1:9/oauth?state=evil&response_type=token", "http://127.0.0.1:9/oauth?client_id=id+1&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1&response_type=code&scope=file_read&state=st-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			flow, err := figmaconnect.New(figmaconnect.Config{
				Client: newApp(t, nil).srv.Client(), ClientID: "id 1", Scope: "file_read",
				RedirectURL: "https://app.example/cb?x=1", AuthorizeURL: tc.base,
				OnConnect: func(http.ResponseWriter, *http.Request, *figmaconnect.Connection) error { return nil },
			})
			require.NoError(t, err)
			assert.Equal(t, tc.want, flow.AuthorizeURL("st-1"))
		})
	}
}

// TestStartSetsTheStateCookie: the start handler redirects to the authorize
// page with a fresh 32-byte state, and binds it to the browser with an
// HttpOnly, SameSite=Lax cookie that lives 10 minutes; Secure, with the
// __Host- prefix, when the redirect URL is https.
func TestStartSetsTheStateCookie(t *testing.T) {
	a := newApp(t, nil)
	b := newBrowser(t)
	resp, _ := b.get(a.web.URL + "/connect")
	require.Equal(t, http.StatusFound, resp.StatusCode)
	location, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, a.srv.AuthorizeURL(), location.Scheme+"://"+location.Host+location.Path)
	q := location.Query()
	assert.Equal(t, clientID, q.Get("client_id"))
	assert.Equal(t, a.web.URL+"/callback", q.Get("redirect_uri"))
	assert.Equal(t, scope, q.Get("scope"))
	assert.Equal(t, "code", q.Get("response_type"))
	state, err := base64.RawURLEncoding.DecodeString(q.Get("state"))
	require.NoError(t, err)
	assert.Len(t, state, 32)
	assert.Equal(t, "no-referrer", resp.Header.Get("Referrer-Policy"))

	c := setCookie(t, resp, cookieName)
	assert.True(t, c.HttpOnly)
	assert.Equal(t, http.SameSiteLaxMode, c.SameSite)
	assert.False(t, c.Secure, "the redirect URL is http")
	assert.Equal(t, "/", c.Path)
	assert.Empty(t, c.Domain)
	assert.Equal(t, 600, c.MaxAge)

	again := newBrowser(t).start(a)
	assert.NotEqual(t, q.Get("state"), again.Query().Get("state"), "every start makes a new state")

	t.Run("https", func(t *testing.T) {
		clock := testkit.NewClock(time.Now())
		flow, err := figmaconnect.New(figmaconnect.Config{
			Client: a.srv.Client(), ClientID: clientID, Scope: scope, RedirectURL: "https://app.example/callback",
			OnConnect: func(http.ResponseWriter, *http.Request, *figmaconnect.Connection) error { return nil },
			Now:       clock.Now,
		})
		require.NoError(t, err)
		w := httptestRecorder(flow.StartHandler(), "https://app.example/connect")
		c := setCookie(t, w, "__Host-"+cookieName)
		assert.True(t, c.Secure)
		assert.True(t, c.HttpOnly)
		assert.Equal(t, "/", c.Path)
		location, err := url.Parse(w.Header.Get("Location"))
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(location.String(), figmaconnect.DefaultAuthorizeURL+"?"))

		// An expired state: the cookie is cleared with the same name and
		// attributes, as a browser needs to drop a __Host- cookie.
		clock.Advance(figmaconnect.DefaultStateLifetime)
		req := httptest.NewRequest(http.MethodGet, "https://app.example/callback?code=c&state="+url.QueryEscape(location.Query().Get("state")), nil)
		req.AddCookie(c)
		rec := httptest.NewRecorder()
		flow.CallbackHandler().ServeHTTP(rec, req)
		assert.Equal(t, http.StatusBadRequest, rec.Code)
		cleared := setCookie(t, rec.Result(), "__Host-"+cookieName)
		assert.Equal(t, -1, cleared.MaxAge)
		assert.True(t, cleared.Secure)
		assert.Equal(t, "/", cleared.Path)
	})
}

// TestConnect: the whole flow over loopback: start, the local authorize
// page, the callback. The callback exchanges the code once with the same
// redirect URI and client id, clears the state cookie, hands OnConnect a
// Source seeded with the exchange's tokens that sends nothing more, and
// redirects to the clean DoneURL.
func TestConnect(t *testing.T) {
	a := newApp(t, nil)
	b := newBrowser(t)
	callback := b.authorize(a)
	code := callback.Query().Get("code")
	require.NotEmpty(t, code)
	require.NotEmpty(t, b.cookie(a, cookieName), "the state cookie is set")

	resp, body := b.get(callback.String())
	require.Equal(t, http.StatusSeeOther, resp.StatusCode, body)
	assert.Equal(t, "/done", resp.Header.Get("Location"), "a clean URL")
	assert.Equal(t, "no-referrer", resp.Header.Get("Referrer-Policy"))
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	assert.Equal(t, -1, setCookie(t, resp, cookieName).MaxAge, "the state cookie is cleared")
	assert.Empty(t, b.cookie(a, cookieName))
	assert.NotContains(t, body, code)

	require.Equal(t, []int{200}, a.exchanges())
	var sent map[string]string
	for _, r := range a.srv.Requests() {
		if r.Operation == amplifyuibuildertest.OperationExchangeCodeForToken {
			require.NoError(t, json.Unmarshal(r.Body, &sent))
		}
	}
	assert.Equal(t, map[string]string{"code": code, "redirectUri": a.web.URL + "/callback", "clientId": clientID}, sent)

	conns := a.connections()
	require.Len(t, conns, 1)
	out := conns[0].Output
	require.NotNil(t, out.AccessToken)
	assert.True(t, a.srv.AccessTokenValid(*out.AccessToken))
	token, err := conns[0].Source.Token(t.Context())
	require.NoError(t, err)
	assert.Equal(t, *out.AccessToken, token, "the Source is seeded with the exchange's token")
	tokens := conns[0].Source.Tokens()
	assert.Equal(t, *out.RefreshToken, tokens.RefreshToken)
	assert.Equal(t, a.clock.Now().Add(time.Hour), tokens.Expiry)
	assert.Equal(t, []int{200}, a.exchanges())
	for _, r := range a.srv.Requests() {
		assert.NotEqual(t, amplifyuibuildertest.OperationRefreshToken, r.Operation, "no extra refresh")
	}

	require.NoError(t, conns[0].Source.Refresh(t.Context()))
	var refreshed map[string]string
	last := a.srv.Requests()[len(a.srv.Requests())-1]
	require.Equal(t, amplifyuibuildertest.OperationRefreshToken, last.Operation)
	require.NoError(t, json.Unmarshal(last.Body, &refreshed))
	assert.Equal(t, clientID, refreshed["clientId"], "the Source refreshes with the client id")

	resp, _ = b.get(a.web.URL + "/done")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	for _, secret := range []string{code, *out.AccessToken, *out.RefreshToken, clientID} {
		assert.NotContains(t, a.logs.String(), secret)
	}
}

// TestStateWorksAcrossInstances: a callback that reaches another instance
// with the same key is accepted: the state lives in the signed cookie, not
// in one server's memory.
func TestStateWorksAcrossInstances(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	a := newApp(t, func(c *figmaconnect.Config) { c.Key = key })
	other := newApp(t, func(c *figmaconnect.Config) {
		c.Key = key
		c.RedirectURL = a.web.URL + "/callback" // the same site, behind one load balancer
		c.Client = a.srv.Client()
	})
	b := newBrowser(t)
	callback := b.authorize(a)
	// The same request, served by the other instance's handler.
	otherCallback := other.web.URL + "/callback?" + callback.RawQuery
	req, err := http.NewRequest(http.MethodGet, otherCallback, nil)
	require.NoError(t, err)
	req.AddCookie(&http.Cookie{Name: cookieName, Value: b.cookie(a, cookieName)})
	resp, err := b.client.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Len(t, other.connections(), 1)
	assert.Equal(t, []int{200}, a.exchanges())

	t.Run("another key is refused", func(t *testing.T) {
		third := newApp(t, func(c *figmaconnect.Config) {
			c.Key = []byte(strings.Repeat("z", 32))
			c.RedirectURL = a.web.URL + "/callback"
		})
		b := newBrowser(t)
		callback := b.authorize(a)
		req, err := http.NewRequest(http.MethodGet, third.web.URL+"/callback?"+callback.RawQuery, nil)
		require.NoError(t, err)
		req.AddCookie(&http.Cookie{Name: cookieName, Value: b.cookie(a, cookieName)})
		resp, err := b.client.Do(req)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
		assert.Empty(t, third.exchanges())
	})
}

// httptestRecorder serves one GET of target with h and returns the response.
func httptestRecorder(h http.Handler, target string) *http.Response {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec.Result()
}
