package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
)

// issuedSecret matches a code or a token the local endpoint issued.
var issuedSecret = regexp.MustCompile(`(code|access|refresh)-[A-Z2-7]{26}`)

// startWebDemo serves the web demo on a free loopback port, as runWebDemo
// does, wrapping its handler with wrap if given, and returns it with what
// it logged.
func startWebDemo(t *testing.T, wrap func(http.Handler) http.Handler) (*webDemo, *lockedBuilder) {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	logs := &lockedBuilder{}
	demo, err := newWebDemo("http://"+listener.Addr().String(), slog.New(slog.NewTextHandler(logs, nil)))
	require.NoError(t, err)
	t.Cleanup(demo.Close)
	var handler http.Handler = demo
	if wrap != nil {
		handler = wrap(demo)
	}
	web := &httptest.Server{Listener: listener, Config: &http.Server{Handler: handler}}
	web.Start()
	t.Cleanup(web.Close)
	return demo, logs
}

// lockedBuilder is a strings.Builder the server's goroutines can write to
// while a test reads it.
type lockedBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuilder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuilder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// userAgent is a browser without a rendering engine: it keeps cookies,
// follows redirects, and reads the id'd links of each page.
type userAgent struct {
	t      *testing.T
	client *http.Client
}

func newUserAgent(t *testing.T) *userAgent {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &userAgent{t: t, client: &http.Client{Jar: jar}}
}

func (u *userAgent) do(method, target string) (*http.Response, string) {
	u.t.Helper()
	req, err := http.NewRequest(method, target, nil)
	require.NoError(u.t, err)
	resp, err := u.client.Do(req)
	require.NoError(u.t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(u.t, err)
	require.NoError(u.t, resp.Body.Close())
	return resp, string(body)
}

// link returns the href of the element with id in page.
func link(t *testing.T, page, id string) string {
	t.Helper()
	m := regexp.MustCompile(`id="` + id + `" href="([^"]+)"`).FindStringSubmatch(page)
	require.NotNil(t, m, "no link %s in %s", id, page)
	return strings.ReplaceAll(m[1], "&amp;", "&")
}

// TestWebDemo: Connect Figma, the authorize page's Allow, the callback, the
// connection page with the expiry and the tokens redacted, and a refresh,
// over loopback without a browser engine.
func TestWebDemo(t *testing.T) {
	demo, _ := startWebDemo(t, nil)
	ua := newUserAgent(t)
	resp, home := ua.do(http.MethodGet, demo.baseURL+"/")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, home, ">Connect Figma</a>")

	resp, consent := ua.do(http.MethodGet, demo.baseURL+link(t, home, "connect"))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.True(t, strings.HasPrefix(resp.Request.URL.String(), demo.srv.AuthorizeURL()+"?"), "the local authorize page")

	resp, page := ua.do(http.MethodGet, demo.srv.URL+link(t, consent, "allow"))
	require.Equal(t, http.StatusOK, resp.StatusCode, page)
	assert.Equal(t, demo.baseURL+webConnectedPath, resp.Request.URL.String(), "a clean URL")
	assert.Contains(t, page, `<strong id="status">connected</strong>`)
	assert.Contains(t, page, `<dd id="access-token">[REDACTED]</dd>`)
	assert.Contains(t, page, `<dd id="refresh-token">[REDACTED]</dd>`)
	expiry := regexp.MustCompile(`<dd id="expiry">([^<]+)</dd>`).FindStringSubmatch(page)
	require.NotNil(t, expiry)
	expires, err := time.Parse(time.RFC3339, expiry[1])
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now().Add(amplifyuibuildertest.DefaultAccessTokenLifetime), expires, time.Minute)
	assert.NotRegexp(t, issuedSecret, page)

	resp, page = ua.do(http.MethodPost, demo.baseURL+webRefreshPath)
	require.Equal(t, http.StatusOK, resp.StatusCode, page)
	assert.Contains(t, page, `<dd id="refreshes">1</dd>`)
	assert.NotRegexp(t, issuedSecret, page)
	var operations []string
	for _, r := range demo.srv.Requests() {
		operations = append(operations, r.Operation+" "+http.StatusText(r.Status))
	}
	assert.Equal(t, []string{"Authorize OK", "Authorize Found", "ExchangeCodeForToken OK", "RefreshToken OK"}, operations)

	t.Run("another browser is not connected", func(t *testing.T) {
		resp, page := newUserAgent(t).do(http.MethodGet, demo.baseURL+webConnectedPath)
		assert.Equal(t, demo.baseURL+"/", resp.Request.URL.String())
		assert.Contains(t, page, "Connect Figma</a>")
	})
}

// TestWebDemoCommand: demo --web serves until interrupted and prints where.
func TestWebDemoCommand(t *testing.T) {
	isolateAWSConfig(t)
	ctx, stop := context.WithCancel(t.Context())
	stdoutReader, stdoutWriter := io.Pipe()
	exited := make(chan int, 1)
	var stderr strings.Builder
	go func() {
		exited <- run(ctx, []string{"demo", "--web"}, stdoutWriter, &stderr)
		stdoutWriter.Close()
	}()
	lines := bufio.NewScanner(stdoutReader)
	require.True(t, lines.Scan())
	base, ok := strings.CutPrefix(lines.Text(), "Connect Figma, in a browser: open ")
	require.True(t, ok, lines.Text())
	go func() { _, _ = io.Copy(io.Discard, stdoutReader) }()
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+/$`, base)
	resp, page := newUserAgent(t).do(http.MethodGet, base)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, page, "Connect Figma</a>")

	stop()
	assert.Equal(t, exitOK, <-exited, stderr.String())

	t.Run("loopback only", func(t *testing.T) {
		exit, _, stderr := cli(t, "demo", "--web", "--addr", "0.0.0.0:0")
		assert.Equal(t, exitUsage, exit)
		assert.Contains(t, stderr, "loopback only")
	})
}

// TestWebDemoRefreshRefusesCrossOrigin: the refresh form posted from
// another origin, even another port of the same loopback host (same site,
// so the SameSite=Lax session cookie goes along), is refused with 403 and
// sends no RefreshToken; the demo's own form, as a browser posts it, still
// refreshes.
func TestWebDemoRefreshRefusesCrossOrigin(t *testing.T) {
	demo, _ := startWebDemo(t, nil)
	ua := newUserAgent(t)
	_, home := ua.do(http.MethodGet, demo.baseURL+"/")
	_, consent := ua.do(http.MethodGet, demo.baseURL+link(t, home, "connect"))
	resp, _ := ua.do(http.MethodGet, demo.srv.URL+link(t, consent, "allow"))
	require.Equal(t, demo.baseURL+webConnectedPath, resp.Request.URL.String())

	refreshes := func() int {
		n := 0
		for _, r := range demo.srv.Requests() {
			if r.Operation == amplifyuibuildertest.OperationRefreshToken {
				n++
			}
		}
		return n
	}
	post := func(headers map[string]string) int {
		req, err := http.NewRequest(http.MethodPost, demo.baseURL+webRefreshPath, nil)
		require.NoError(t, err)
		for name, value := range headers {
			req.Header.Set(name, value)
		}
		resp, err := ua.client.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		require.NoError(t, resp.Body.Close())
		return resp.StatusCode
	}
	otherPort := demo.srv.URL // the local endpoint: the same host, another port
	for name, headers := range map[string]map[string]string{
		"another port, Origin only":    {"Origin": otherPort},
		"another port, Sec-Fetch":      {"Sec-Fetch-Site": "same-site", "Origin": otherPort},
		"another site":                 {"Sec-Fetch-Site": "cross-site", "Origin": "http://attacker.example"},
		"an opaque origin (sandboxed)": {"Origin": "null"},
	} {
		assert.Equal(t, http.StatusForbidden, post(headers), name)
	}
	assert.Equal(t, 0, refreshes(), "a refused post sends nothing")

	assert.Equal(t, http.StatusOK, post(map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": demo.baseURL}), "the demo's own form")
	assert.Equal(t, 1, refreshes())
}

// TestWebServerDropsSlowBodies: the demo's server has every timeout set, and
// with them a client that announces a body and then sends nothing (which
// the refresh handler does not read, and the server then drains) is
// disconnected, here after a ReadTimeout shortened for the test.
func TestWebServerDropsSlowBodies(t *testing.T) {
	server := newWebServer(nil)
	for name, timeout := range map[string]time.Duration{
		"ReadHeaderTimeout": server.ReadHeaderTimeout, "ReadTimeout": server.ReadTimeout,
		"WriteTimeout": server.WriteTimeout, "IdleTimeout": server.IdleTimeout,
	} {
		assert.Positive(t, timeout, name)
	}

	demo, _ := startWebDemo(t, nil)
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	server = newWebServer(demo)
	server.ReadTimeout = 100 * time.Millisecond
	go func() { _ = server.Serve(listener) }()
	t.Cleanup(func() { _ = server.Close() })

	conn, err := net.Dial("tcp", listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "POST "+webRefreshPath+" HTTP/1.1\r\nHost: "+listener.Addr().String()+"\r\nContent-Length: 1000\r\n\r\nx")
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(30*time.Second)))
	_, err = io.ReadAll(conn)
	assert.NoError(t, err, "the server ends the connection before the test's guard")
}
