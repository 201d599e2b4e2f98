package figmaconnect_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
	"github.com/uibuilder-go/amplifyuibuilder/figmaconnect"
	"github.com/uibuilder-go/amplifyuibuilder/internal/testkit"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

const (
	clientID = "figma-client-id-1"
	scope    = "file_read"
)

// app is a web app that runs the flow, at web.URL: the start handler at
// /connect, the callback at /callback, DoneURL /done. The local endpoint
// srv issues codes (its authorize page approves at once) and exchanges
// them.
type app struct {
	t     *testing.T
	srv   *amplifyuibuildertest.Server
	web   *httptest.Server
	flow  *figmaconnect.Flow
	clock *testkit.Clock
	logs  *testkit.SyncBuffer

	mu    sync.Mutex
	conns []*figmaconnect.Connection
}

// newApp starts the local endpoint and the app; edit changes the Config
// before New.
func newApp(t *testing.T, edit func(*figmaconnect.Config), srvOpts ...amplifyuibuildertest.Option) *app {
	t.Helper()
	a := &app{t: t, clock: testkit.NewClock(time.Now()), logs: &testkit.SyncBuffer{}}
	a.srv = amplifyuibuildertest.NewServer(append([]amplifyuibuildertest.Option{amplifyuibuildertest.WithAutoApprove()}, srvOpts...)...)
	t.Cleanup(a.srv.Close)
	mux := http.NewServeMux()
	a.web = httptest.NewServer(mux)
	t.Cleanup(a.web.Close)

	cfg := figmaconnect.Config{
		Client:       a.srv.Client(func(o *amplifyuibuilder.Options) { o.RetryMaxAttempts = 1 }),
		ClientID:     clientID,
		RedirectURL:  a.web.URL + "/callback",
		Scope:        scope,
		AuthorizeURL: a.srv.AuthorizeURL(),
		DoneURL:      "/done",
		StartURL:     "/connect",
		Logger:       slog.New(slog.NewTextHandler(a.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:          a.clock.Now,
		OnConnect: func(w http.ResponseWriter, r *http.Request, c *figmaconnect.Connection) error {
			a.mu.Lock()
			defer a.mu.Unlock()
			a.conns = append(a.conns, c)
			return nil
		},
	}
	if edit != nil {
		edit(&cfg)
	}
	flow, err := figmaconnect.New(cfg)
	require.NoError(t, err)
	a.flow = flow
	mux.Handle("/connect", flow.StartHandler())
	mux.Handle("/callback", flow.CallbackHandler())
	mux.HandleFunc("/done", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "done") })
	return a
}

// connections returns what OnConnect received.
func (a *app) connections() []*figmaconnect.Connection {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]*figmaconnect.Connection(nil), a.conns...)
}

// exchanges returns the ExchangeCodeForToken requests the endpoint
// received, each as its status.
func (a *app) exchanges() []int {
	var statuses []int
	for _, r := range a.srv.Requests() {
		if r.Operation == amplifyuibuildertest.OperationExchangeCodeForToken {
			statuses = append(statuses, r.Status)
		}
	}
	return statuses
}

// browser is an HTTP client with a cookie jar that does not follow
// redirects, so that a test sees every hop.
type browser struct {
	t      *testing.T
	client *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &browser{t: t, client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// get fetches u and returns the response with its body read.
func (b *browser) get(u string) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.client.Get(u)
	require.NoError(b.t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(b.t, err)
	require.NoError(b.t, resp.Body.Close())
	return resp, string(body)
}

// start gets the start handler and returns the authorize URL it redirects
// to.
func (b *browser) start(a *app) *url.URL {
	b.t.Helper()
	resp, _ := b.get(a.web.URL + "/connect")
	require.Equal(b.t, http.StatusFound, resp.StatusCode)
	u, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(b.t, err)
	return u
}

// authorize starts a connection and goes through the authorize page, which
// approves at once, and returns the callback URL it redirects to, with the
// code and the state, without fetching it.
func (b *browser) authorize(a *app) *url.URL {
	b.t.Helper()
	resp, _ := b.get(b.start(a).String())
	require.Equal(b.t, http.StatusFound, resp.StatusCode)
	u, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(b.t, err)
	require.True(b.t, strings.HasPrefix(u.String(), a.web.URL+"/callback?"), u.Redacted())
	return u
}

// cookie returns the value of the browser's cookie named name for the app,
// or "".
func (b *browser) cookie(a *app, name string) string {
	u, _ := url.Parse(a.web.URL + "/callback")
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// setCookie gives the browser the state cookie value for the app, as a
// browser that copied it would present it.
func (b *browser) setCookie(a *app, value string) {
	u, _ := url.Parse(a.web.URL + "/")
	b.client.Jar.SetCookies(u, []*http.Cookie{{Name: cookieName, Value: value, Path: "/"}})
}

// exchangeInput is an ExchangeCodeForToken input for code and redirectURI.
func exchangeInput(code, redirectURI string) *amplifyuibuilder.ExchangeCodeForTokenInput {
	return &amplifyuibuilder.ExchangeCodeForTokenInput{
		Provider: types.TokenProvidersFigma,
		Request:  &types.ExchangeCodeForTokenRequestBody{Code: aws.String(code), RedirectUri: aws.String(redirectURI)},
	}
}

// withQuery returns u with the query parameter name set to values.
func withQuery(u *url.URL, name string, values ...string) string {
	q := u.Query()
	q[name] = values
	v := *u
	v.RawQuery = q.Encode()
	return v.String()
}

// setCookie finds the Set-Cookie of the state cookie in resp.
func setCookie(t *testing.T, resp *http.Response, name string) *http.Cookie {
	t.Helper()
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no Set-Cookie for %s in %v", name, resp.Header.Values("Set-Cookie"))
	return nil
}

// discardLogger is a logger that writes nothing.
func discardLogger() *slog.Logger {
	return slog.New(slog.DiscardHandler)
}
