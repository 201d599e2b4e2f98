package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
	"github.com/uibuilder-go/amplifyuibuilder/internal/testenv"
	"github.com/uibuilder-go/amplifyuibuilder/tokensource"
)

// browserHangGuard bounds the whole browser session: it turns a hang into a
// failure, and is no measure of speed.
const browserHangGuard = 2 * time.Minute

// newBrowser starts Debian's headless Chromium with a fresh profile and
// returns a tab to drive; the test skips where no Chromium is installed, and
// fails there when testenv.RequireVar is set.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := testenv.LookPath(t, "chromium", "chromium-browser")
	ctx, cancel := context.WithTimeout(context.Background(), browserHangGuard)
	t.Cleanup(cancel)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // as root, Chromium needs it
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("no-default-browser-check", true),
	)
	t.Cleanup(cancelAlloc)
	tab, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithErrorf(t.Logf))
	t.Cleanup(cancelTab)
	if err := chromedp.Do(tab); err != nil {
		testenv.Unavailable(t, "Chromium at %s does not start: %v", path, err)
	}
	return tab
}

// requestLog records, on the server side, the URL and the Referer of each
// request.
type requestLog struct {
	mu       sync.Mutex
	requests []string // "URL | Referer"
}

func (l *requestLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.requests = append(l.requests, r.URL.String()+" | "+r.Header.Get("Referer"))
		l.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

func (l *requestLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.requests...)
}

// TestBrowserConnectFigma clicks through the web demo in headless Chromium:
// Connect Figma, the local endpoint's authorize page, Allow, the callback,
// the connection page and a refresh. It checks what the browser saw: the
// final page, the state cookie set at the start and cleared by the callback,
// no code or token in the URL history, the page text or a Referer, a replay
// of the callback URL refused, and a callback with a forged state refused,
// each without an exchange.
func TestBrowserConnectFigma(t *testing.T) {
	tab := newBrowser(t)
	var served requestLog
	demo, logs := startWebDemo(t, served.wrap)
	base := demo.baseURL

	// Every request the browser sends, as it sends it.
	var mu sync.Mutex
	var sent []*network.Request
	require.NoError(t, chromedp.Listen(tab, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			sent = append(sent, e.Request)
			mu.Unlock()
		}
	}))
	stateCookie := func() *network.Cookie {
		t.Helper()
		res, err := chromedp.Run(tab, func(ctx context.Context, _ *chromedp.Target) (network.GetCookiesResult, error) {
			return chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{base + "/"}})
		})
		require.NoError(t, err)
		for _, c := range res.Cookies {
			if c.Name == "figmaconnect-state" {
				return c
			}
		}
		return nil
	}
	exchanges := func() int {
		n := 0
		for _, r := range demo.srv.Requests() {
			if r.Operation == amplifyuibuildertest.OperationExchangeCodeForToken {
				n++
			}
		}
		return n
	}

	// Connect Figma: the start handler sets the state cookie and sends the
	// browser to the authorize page.
	require.NoError(t, chromedp.Do(tab, chromedp.Navigate(base+"/")))
	require.NoError(t, chromedp.Do(tab, chromedp.Click(chromedp.ID("connect")), chromedp.WaitVisible(chromedp.ID("allow"))))
	location, err := chromedp.Run(tab, chromedp.Location())
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(location, demo.srv.AuthorizeURL()+"?"), location)
	cookie := stateCookie()
	require.NotNil(t, cookie, "the start sets the state cookie")
	assert.True(t, cookie.HTTPOnly)
	assert.Equal(t, network.CookieSameSiteLax, cookie.SameSite)
	assert.Equal(t, "/", cookie.Path)

	// Allow: the callback exchanges the code and redirects to the clean
	// connection page.
	resp, err := chromedp.RunResponse(tab, chromedp.Click(chromedp.ID("allow")))
	require.NoError(t, err)
	assert.Equal(t, int64(http.StatusOK), resp.Status)
	require.NoError(t, chromedp.Do(tab, chromedp.WaitVisible(chromedp.ID("status"))))
	status, err := chromedp.Run(tab, chromedp.Text(chromedp.ID("status")))
	require.NoError(t, err)
	assert.Equal(t, "connected", status)
	location, err = chromedp.Run(tab, chromedp.Location())
	require.NoError(t, err)
	assert.Equal(t, base+webConnectedPath, location)
	expiry, err := chromedp.Run(tab, chromedp.Text(chromedp.ID("expiry")))
	require.NoError(t, err)
	expires, err := time.Parse(time.RFC3339, expiry)
	require.NoError(t, err, "the page shows the expiry")
	assert.WithinDuration(t, time.Now().Add(amplifyuibuildertest.DefaultAccessTokenLifetime), expires, time.Minute)
	for _, id := range []string{"access-token", "refresh-token"} {
		text, err := chromedp.Run(tab, chromedp.Text(chromedp.ID(id)))
		require.NoError(t, err)
		assert.Equal(t, "[REDACTED]", text, id)
	}
	assert.Nil(t, stateCookie(), "the callback cleared the state cookie")
	assert.Equal(t, 1, exchanges())

	// The refresh button.
	resp, err = chromedp.RunResponse(tab, chromedp.Click(chromedp.ID("refresh")))
	require.NoError(t, err)
	assert.Equal(t, int64(http.StatusOK), resp.Status)
	refreshes, err := chromedp.Run(tab, chromedp.Text(chromedp.ID("refreshes")))
	require.NoError(t, err)
	assert.Equal(t, "1", refreshes)

	// The callback URL the browser was sent to, with the code.
	var callbackURL string
	mu.Lock()
	for _, r := range sent {
		if strings.HasPrefix(r.URL, base+webCallbackPath+"?") {
			callbackURL = r.URL
		}
	}
	mu.Unlock()
	require.NotEmpty(t, callbackURL, "the browser went through the callback")
	callback, err := url.Parse(callbackURL)
	require.NoError(t, err)
	code := callback.Query().Get("code")
	require.NotEmpty(t, code)
	var tokens []string
	for _, c := range demo.sessionsSnapshot() {
		tokens = append(tokens, c.AccessToken, c.RefreshToken)
	}
	require.Len(t, tokens, 2)
	secrets := append([]string{code}, tokens...)

	// No code or token in the URL history, the page or a Referer.
	history, err := chromedp.Run(tab, chromedp.NavigationEntries())
	require.NoError(t, err)
	require.NotEmpty(t, history.Entries)
	body, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS("body")))
	require.NoError(t, err)
	assert.Contains(t, body, "connected")
	for _, secret := range secrets {
		for _, entry := range history.Entries {
			assert.NotContains(t, entry.URL, secret, "URL history")
			assert.NotContains(t, entry.UserTypedURL, secret, "URL history")
		}
		assert.NotContains(t, body, secret, "page text")
		for _, r := range served.all() {
			_, referer, _ := strings.Cut(r, " | ")
			assert.NotContains(t, referer, secret, "Referer to the app")
		}
		for _, r := range demo.srv.Requests() {
			assert.NotContains(t, r.Header.Get("Referer"), secret, "Referer to the endpoint")
		}
	}

	// A replay of the callback URL: refused, with no second exchange.
	resp, err = chromedp.RunResponse(tab, chromedp.Navigate(callbackURL))
	require.NoError(t, err)
	assert.Equal(t, int64(http.StatusBadRequest), resp.Status, "the replayed callback is refused")
	body, err = chromedp.Run(tab, chromedp.Text(chromedp.CSS("body")))
	require.NoError(t, err)
	assert.Contains(t, body, "could not be checked")
	assert.Equal(t, 1, exchanges())
	for _, secret := range secrets {
		assert.NotContains(t, body, secret)
	}

	// A forged state, in a browser that has a genuine state cookie and a
	// genuine code: refused, with no exchange.
	require.NoError(t, chromedp.Do(tab, chromedp.Navigate(base+webConnectPath), chromedp.WaitVisible(chromedp.ID("allow"))))
	require.NotNil(t, stateCookie())
	fresh := demo.srv.IssueCode(base + webCallbackPath)
	forged := base + webCallbackPath + "?" + url.Values{"code": {fresh}, "state": {"forged-state-value"}}.Encode()
	resp, err = chromedp.RunResponse(tab, chromedp.Navigate(forged))
	require.NoError(t, err)
	assert.Equal(t, int64(http.StatusBadRequest), resp.Status, "the forged state is refused")
	body, err = chromedp.Run(tab, chromedp.Text(chromedp.CSS("body")))
	require.NoError(t, err)
	assert.Contains(t, body, "does not match")
	assert.NotContains(t, body, fresh)
	assert.Equal(t, 1, exchanges(), "no exchange for a forged state")

	require.Contains(t, logs.String(), "callback refused")
	for _, secret := range append(secrets, fresh) {
		assert.NotContains(t, logs.String(), secret, "log lines")
	}
}

// sessionsSnapshot returns the tokens of every connected session, for a
// test to look for them where they must not be.
func (d *webDemo) sessionsSnapshot() []tokensource.Tokens {
	d.mu.Lock()
	defer d.mu.Unlock()
	var all []tokensource.Tokens
	for _, s := range d.sessions {
		all = append(all, s.source.Tokens())
	}
	return all
}
