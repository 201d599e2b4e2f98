package figmaconnect_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
	"github.com/uibuilder-go/amplifyuibuilder/figmaconnect"
)

// requireRefused checks a callback answer that must be status with a link
// to start again, and no secret of callback in the page or the logs.
func requireRefused(t *testing.T, a *app, resp *http.Response, body string, status int, callback *url.URL) {
	t.Helper()
	require.Equal(t, status, resp.StatusCode, body)
	assert.Empty(t, resp.Header.Get("Location"))
	assert.Equal(t, "no-referrer", resp.Header.Get("Referrer-Policy"))
	assert.Contains(t, body, `<a id="restart" href="/connect"`)
	for _, secret := range []string{callback.Query().Get("code"), callback.Query().Get("state"), clientID} {
		if secret != "" {
			assert.NotContains(t, body, secret)
			assert.NotContains(t, a.logs.String(), secret)
		}
	}
}

// TestCallbackRefusesBadState: every callback whose state does not pass
// gets 400 and sends no exchange; the code stays unspent.
func TestCallbackRefusesBadState(t *testing.T) {
	for _, tc := range []struct {
		name string
		// tamper returns the callback URL to fetch, given the genuine one,
		// after changing what it likes in the browser.
		tamper func(t *testing.T, a *app, b *browser, callback *url.URL) string
		reason string // in the log line
	}{
		{"no state", func(t *testing.T, a *app, b *browser, u *url.URL) string {
			return withQuery(u, "state")
		}, "no state"},
		{"a forged state", func(t *testing.T, a *app, b *browser, u *url.URL) string {
			return withQuery(u, "state", base64.RawURLEncoding.EncodeToString(make([]byte, 32)))
		}, "does not match"},
		{"the state twice", func(t *testing.T, a *app, b *browser, u *url.URL) string {
			return withQuery(u, "state", u.Query().Get("state"), u.Query().Get("state"))
		}, "no state"},
		{"no cookie: another browser", func(t *testing.T, a *app, b *browser, u *url.URL) string {
			*b = *newBrowser(t)
			return u.String()
		}, "no connection in progress"},
		{"a cookie signed with another key", func(t *testing.T, a *app, b *browser, u *url.URL) string {
			raw, err := base64.RawURLEncoding.DecodeString(b.cookie(a, cookieName))
			require.NoError(t, err)
			raw[len(raw)-1] ^= 1
			b.setCookie(a, base64.RawURLEncoding.EncodeToString(raw))
			return u.String()
		}, "not one this site signed"},
		{"a cookie whose expiry was pushed back", func(t *testing.T, a *app, b *browser, u *url.URL) string {
			raw, err := base64.RawURLEncoding.DecodeString(b.cookie(a, cookieName))
			require.NoError(t, err)
			raw[0] ^= 0x7f
			b.setCookie(a, base64.RawURLEncoding.EncodeToString(raw))
			return u.String()
		}, "not one this site signed"},
		{"a cookie that is not base64", func(t *testing.T, a *app, b *browser, u *url.URL) string {
			b.setCookie(a, "!!!")
			return u.String()
		}, "not one this site signed"},
		{"expired: 10 minutes later", func(t *testing.T, a *app, b *browser, u *url.URL) string {
			a.clock.Advance(figmaconnect.DefaultStateLifetime)
			return u.String()
		}, "expired"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newApp(t, nil)
			b := newBrowser(t)
			callback := b.authorize(a)
			genuine := b.cookie(a, cookieName)
			resp, body := b.get(tc.tamper(t, a, b, callback))
			requireRefused(t, a, resp, body, http.StatusBadRequest, callback)
			assert.Empty(t, a.exchanges(), "no exchange is sent")
			assert.Empty(t, a.connections())
			assert.Contains(t, a.logs.String(), tc.reason)

			// The code was not spent: the genuine callback, in a browser
			// with the cookie, still connects unless the state expired.
			if tc.reason == "expired" {
				assert.Equal(t, -1, setCookie(t, resp, cookieName).MaxAge, "an expired state cookie is cleared")
				return
			}
			fresh := newBrowser(t)
			fresh.setCookie(a, genuine)
			resp, _ = fresh.get(callback.String())
			assert.Equal(t, http.StatusSeeOther, resp.StatusCode)
		})
	}
}

// TestStateLifetime: a state is good until its lifetime is over, 10 minutes
// by default or Config.StateLifetime.
func TestStateLifetime(t *testing.T) {
	for _, tc := range []struct {
		name     string
		lifetime time.Duration
		want     time.Duration
	}{{"default", 0, 10 * time.Minute}, {"configured", time.Minute, time.Minute}} {
		t.Run(tc.name, func(t *testing.T) {
			a := newApp(t, func(c *figmaconnect.Config) { c.StateLifetime = tc.lifetime })
			b := newBrowser(t)
			callback := b.authorize(a)
			a.clock.Advance(tc.want - time.Second)
			resp, _ := b.get(callback.String())
			assert.Equal(t, http.StatusSeeOther, resp.StatusCode, "a second before the end")

			b = newBrowser(t)
			callback = b.authorize(a)
			a.clock.Advance(tc.want)
			resp, _ = b.get(callback.String())
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "at the end")
		})
	}
}

// TestReplayRefused: the callback URL fetched again is refused with no
// second exchange, whether the browser comes back without the cookie (it
// was cleared) or someone copied the cookie and presents it again.
func TestReplayRefused(t *testing.T) {
	a := newApp(t, nil)
	b := newBrowser(t)
	callback := b.authorize(a)
	stolen := b.cookie(a, cookieName)
	resp, _ := b.get(callback.String())
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)

	resp, body := b.get(callback.String())
	requireRefused(t, a, resp, body, http.StatusBadRequest, callback)
	assert.Contains(t, body, "no connection in progress")

	b.setCookie(a, stolen)
	resp, body = b.get(callback.String())
	requireRefused(t, a, resp, body, http.StatusBadRequest, callback)
	assert.Contains(t, body, "already used")
	assert.Equal(t, []int{200}, a.exchanges(), "one exchange")
	assert.Len(t, a.connections(), 1)
}

// failingGuard is a ReplayGuard that fails.
type failingGuard struct{}

func (failingGuard) FirstUse(_ context.Context, _ string, _ time.Time) (bool, error) {
	return false, errors.New("store down")
}

func TestReplayGuardFailureRefuses(t *testing.T) {
	a := newApp(t, func(c *figmaconnect.Config) { c.ReplayGuard = failingGuard{} })
	b := newBrowser(t)
	callback := b.authorize(a)
	resp, body := b.get(callback.String())
	requireRefused(t, a, resp, body, http.StatusInternalServerError, callback)
	assert.Empty(t, a.exchanges())

	t.Run("a guard error quoting the state is logged without it", func(t *testing.T) {
		a := newApp(t, func(c *figmaconnect.Config) { c.ReplayGuard = quotingGuard{} })
		b := newBrowser(t)
		callback := b.authorize(a)
		resp, body := b.get(callback.String())
		requireRefused(t, a, resp, body, http.StatusInternalServerError, callback)
		assert.Contains(t, a.logs.String(), "redis: SETNX")
	})
}

// quotingGuard fails with an error that quotes the state, as a store's
// client error may quote its key.
type quotingGuard struct{}

func (quotingGuard) FirstUse(_ context.Context, state string, _ time.Time) (bool, error) {
	return false, fmt.Errorf("redis: SETNX figmaconnect:%s: connection refused", state)
}

// TestProviderErrors: Figma's error parameter, after a valid state, gets
// the caller's OnDenied or a page, never an exchange; the page does not
// reflect what the parameter says.
func TestProviderErrors(t *testing.T) {
	for _, tc := range []struct {
		error  string
		status int
	}{
		{"access_denied", http.StatusBadRequest},
		{"invalid_scope", http.StatusBadRequest},
		{"server_error", http.StatusBadGateway},
		{"temporarily_unavailable", http.StatusBadGateway},
		{"<script>alert(1)</script>", http.StatusBadRequest},
	} {
		t.Run(tc.error, func(t *testing.T) {
			a := newApp(t, nil)
			b := newBrowser(t)
			u := b.authorize(a)
			q := u.Query()
			q.Del("code")
			q.Set("error", tc.error)
			q.Set("error_description", "<b>call +1 555</b>")
			u.RawQuery = q.Encode()
			resp, body := b.get(u.String())
			requireRefused(t, a, resp, body, tc.status, u)
			assert.NotContains(t, body, "script")
			assert.NotContains(t, body, "555")
			assert.NotContains(t, a.logs.String(), "script")
			assert.Empty(t, a.exchanges())
			assert.Empty(t, b.cookie(a, cookieName), "the state is spent")
		})
	}
	t.Run("access_denied with OnDenied", func(t *testing.T) {
		var denied int
		a := newApp(t, func(c *figmaconnect.Config) {
			c.OnDenied = func(w http.ResponseWriter, r *http.Request) {
				denied++
				http.Redirect(w, r, "/settings?figma=declined", http.StatusSeeOther)
			}
		})
		b := newBrowser(t)
		u := b.authorize(a)
		resp, _ := b.get(withQuery(u, "error", "access_denied"))
		assert.Equal(t, http.StatusSeeOther, resp.StatusCode)
		assert.Equal(t, "/settings?figma=declined", resp.Header.Get("Location"))
		assert.Equal(t, 1, denied)
		assert.Empty(t, a.exchanges())
	})
	t.Run("access_denied with a forged state: the state answers first", func(t *testing.T) {
		a := newApp(t, func(c *figmaconnect.Config) {
			c.OnDenied = func(http.ResponseWriter, *http.Request) { t.Error("OnDenied called for a forged state") }
		})
		b := newBrowser(t)
		u := b.authorize(a)
		q := u.Query()
		q.Set("error", "access_denied")
		q.Set("state", "forged")
		u.RawQuery = q.Encode()
		resp, _ := b.get(u.String())
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	})
}

// TestExchangeFailures: a code the service refuses gets 400 with a link to
// start again; any other failure of the exchange 502. Neither page nor log
// quotes the code or the client id.
func TestExchangeFailures(t *testing.T) {
	t.Run("InvalidParameterException: a spent code", func(t *testing.T) {
		a := newApp(t, nil)
		b := newBrowser(t)
		callback := b.authorize(a)
		spend := a.srv.Client()
		_, err := spend.ExchangeCodeForToken(t.Context(), exchangeInput(callback.Query().Get("code"), a.web.URL+"/callback"))
		require.NoError(t, err)

		resp, body := b.get(callback.String())
		requireRefused(t, a, resp, body, http.StatusBadRequest, callback)
		assert.Contains(t, body, "already used")
		assert.Equal(t, []int{200, 400}, a.exchanges())
		assert.Empty(t, a.connections())
	})
	t.Run("a code made up", func(t *testing.T) {
		a := newApp(t, nil)
		b := newBrowser(t)
		callback := b.authorize(a)
		resp, body := b.get(withQuery(callback, "code", "code-made-up-by-someone"))
		requireRefused(t, a, resp, body, http.StatusBadRequest, callback)
		assert.NotContains(t, a.logs.String(), "code-made-up-by-someone")
	})
	for name, code := range map[string][]string{
		"no code":       nil,
		"an empty code": {""},
		"two codes":     {"code-a", "code-b"},
		"a huge code":   {strings.Repeat("c", 64<<10)},
	} {
		t.Run(name, func(t *testing.T) {
			a := newApp(t, nil)
			b := newBrowser(t)
			callback := b.authorize(a)
			resp, body := b.get(withQuery(callback, "code", code...))
			requireRefused(t, a, resp, body, http.StatusBadRequest, callback)
			assert.Empty(t, a.exchanges(), "nothing is sent")
		})
	}
	for _, fault := range []struct {
		name   string
		inject func(srv *amplifyuibuildertest.Server)
		status int // what the endpoint recorded
	}{
		{"a 500", func(srv *amplifyuibuildertest.Server) {
			srv.FailNext(1, http.StatusInternalServerError, "InternalServerException")
		}, 500},
		{"throttled", func(srv *amplifyuibuildertest.Server) {
			srv.FailNext(1, http.StatusTooManyRequests, "ThrottlingException")
		}, 429},
		{"the connection dropped", func(srv *amplifyuibuildertest.Server) { srv.DropNext(1) }, 0},
	} {
		t.Run(fault.name, func(t *testing.T) {
			a := newApp(t, nil)
			b := newBrowser(t)
			callback := b.authorize(a)
			fault.inject(a.srv)
			resp, body := b.get(callback.String())
			requireRefused(t, a, resp, body, http.StatusBadGateway, callback)
			assert.Equal(t, []int{fault.status}, a.exchanges())
			assert.Contains(t, a.logs.String(), "the exchange failed")
		})
	}
}

// TestNoOpenRedirect: whatever the callback's query says, a success
// redirects to DoneURL only.
func TestNoOpenRedirect(t *testing.T) {
	a := newApp(t, nil)
	b := newBrowser(t)
	u := b.authorize(a)
	q := u.Query()
	for _, name := range []string{"redirect_uri", "next", "return_to", "continue", "url"} {
		q.Set(name, "https://evil.example/")
	}
	u.RawQuery = q.Encode()
	resp, _ := b.get(u.String())
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Equal(t, "/done", resp.Header.Get("Location"))
}

func TestNewRefusesBadConfig(t *testing.T) {
	client := newApp(t, nil).srv.Client()
	good := func() figmaconnect.Config {
		return figmaconnect.Config{
			Client: client, ClientID: clientID, Scope: scope, RedirectURL: "https://app.example/cb",
			OnConnect: func(http.ResponseWriter, *http.Request, *figmaconnect.Connection) error { return nil },
		}
	}
	_, err := figmaconnect.New(good())
	require.NoError(t, err)
	for name, edit := range map[string]func(*figmaconnect.Config){
		"no client":                    func(c *figmaconnect.Config) { c.Client = nil },
		"no client id":                 func(c *figmaconnect.Config) { c.ClientID = "" },
		"no scope":                     func(c *figmaconnect.Config) { c.Scope = "" },
		"no OnConnect":                 func(c *figmaconnect.Config) { c.OnConnect = nil },
		"a relative redirect URL":      func(c *figmaconnect.Config) { c.RedirectURL = "/cb" },
		"a redirect URL with fragment": func(c *figmaconnect.Config) { c.RedirectURL = "https://app.example/cb#x" },
		"a javascript authorize URL":   func(c *figmaconnect.Config) { c.AuthorizeURL = "javascript:alert(1)" },
		"a short key":                  func(c *figmaconnect.Config) { c.Key = make([]byte, 31) },
		"DoneURL on another host":      func(c *figmaconnect.Config) { c.DoneURL = "https://evil.example/" },
		"DoneURL scheme-relative":      func(c *figmaconnect.Config) { c.DoneURL = "//evil.example/" },
		"DoneURL with a backslash":     func(c *figmaconnect.Config) { c.DoneURL = "/\\evil.example/" },
		"DoneURL not a path":           func(c *figmaconnect.Config) { c.DoneURL = "done" },
		"StartURL on another host":     func(c *figmaconnect.Config) { c.StartURL = "https://evil.example/" },
	} {
		t.Run(name, func(t *testing.T) {
			cfg := good()
			edit(&cfg)
			_, err := figmaconnect.New(cfg)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "figmaconnect: "), err.Error())
		})
	}
}

// TestOnConnect: OnConnect may set a cookie and let the callback redirect,
// write its own answer, or fail, which gives 500.
func TestOnConnect(t *testing.T) {
	t.Run("sets a session cookie", func(t *testing.T) {
		a := newApp(t, func(c *figmaconnect.Config) {
			c.OnConnect = func(w http.ResponseWriter, r *http.Request, _ *figmaconnect.Connection) error {
				http.SetCookie(w, &http.Cookie{Name: "session", Value: "s1", Path: "/"})
				return nil
			}
		})
		b := newBrowser(t)
		resp, _ := b.get(b.authorize(a).String())
		assert.Equal(t, http.StatusSeeOther, resp.StatusCode)
		assert.Equal(t, "s1", setCookie(t, resp, "session").Value)
		assert.Equal(t, -1, setCookie(t, resp, cookieName).MaxAge)
	})
	t.Run("writes its own answer", func(t *testing.T) {
		a := newApp(t, func(c *figmaconnect.Config) {
			c.OnConnect = func(w http.ResponseWriter, r *http.Request, _ *figmaconnect.Connection) error {
				http.Redirect(w, r, "/welcome", http.StatusFound)
				return nil
			}
		})
		b := newBrowser(t)
		resp, _ := b.get(b.authorize(a).String())
		assert.Equal(t, http.StatusFound, resp.StatusCode)
		assert.Equal(t, "/welcome", resp.Header.Get("Location"))
	})
	t.Run("fails", func(t *testing.T) {
		a := newApp(t, func(c *figmaconnect.Config) {
			c.OnConnect = func(http.ResponseWriter, *http.Request, *figmaconnect.Connection) error {
				return errors.New("session store down")
			}
		})
		b := newBrowser(t)
		callback := b.authorize(a)
		resp, body := b.get(callback.String())
		requireRefused(t, a, resp, body, http.StatusInternalServerError, callback)
		assert.Contains(t, a.logs.String(), "session store down")
	})
	t.Run("fails quoting the tokens", func(t *testing.T) {
		var tokens []string
		a := newApp(t, func(c *figmaconnect.Config) {
			c.OnConnect = func(_ http.ResponseWriter, _ *http.Request, c *figmaconnect.Connection) error {
				tokens = []string{*c.Output.AccessToken, *c.Output.RefreshToken}
				return fmt.Errorf("insert (%s, %s, %s) failed: session store down", *c.Output.AccessToken, *c.Output.RefreshToken, clientID)
			}
		})
		b := newBrowser(t)
		callback := b.authorize(a)
		resp, body := b.get(callback.String())
		requireRefused(t, a, resp, body, http.StatusInternalServerError, callback)
		require.Len(t, tokens, 2)
		for _, token := range tokens {
			assert.NotContains(t, a.logs.String(), token)
		}
		assert.Contains(t, a.logs.String(), "failed: session store down")
	})
}

func TestCallbackTakesGETOnly(t *testing.T) {
	a := newApp(t, nil)
	b := newBrowser(t)
	callback := b.authorize(a)
	resp, err := b.client.Post(callback.String(), "application/x-www-form-urlencoded", nil)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	assert.Empty(t, a.exchanges())
}
