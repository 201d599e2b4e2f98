package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
	"github.com/uibuilder-go/amplifyuibuilder/figmaconnect"
	"github.com/uibuilder-go/amplifyuibuilder/internal/redact"
	"github.com/uibuilder-go/amplifyuibuilder/tokensource"
)

// The web demo's paths.
const (
	webHomePath      = "/"
	webConnectPath   = "/connect"
	webCallbackPath  = "/callback"
	webConnectedPath = "/connected"
	webRefreshPath   = "/refresh"

	// webSessionCookie names the demo's own session, which OnConnect
	// starts: the app side of the flow, kept apart from the state cookie.
	webSessionCookie = "demo-session"
	// webMaxSessions bounds the sessions the demo keeps.
	webMaxSessions = 100
)

// runWebDemo serves the connect-Figma flow in a browser until ctx ends: a
// page with "Connect Figma", the local endpoint's authorize page standing in
// for Figma's, the callback, and a page that shows the connection with its
// tokens redacted. Everything listens on addr's loopback host.
func runWebDemo(ctx context.Context, addr string, stdout, stderr io.Writer) int {
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return reportError(stderr, "demo", exitFailure, "%v", err)
	}
	if ip := listener.Addr().(*net.TCPAddr).IP; !ip.IsLoopback() {
		listener.Close()
		return usageError(stderr, "demo", "argument --addr: the web demo listens on loopback only, not %s", listener.Addr())
	}
	demo, err := newWebDemo("http://"+listener.Addr().String(), slog.New(slog.NewTextHandler(stderr, nil)))
	if err != nil {
		listener.Close()
		return reportError(stderr, "demo", exitFailure, "%v", err)
	}
	defer demo.Close()
	server := newWebServer(demo)
	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()

	fmt.Fprintf(stdout, "Connect Figma, in a browser: open %s/\n", demo.baseURL)
	fmt.Fprintf(stdout, "Its local endpoint, standing in for AWS and for Figma's authorize page: %s\n", demo.srv.URL)
	fmt.Fprintln(stdout, "Serving until interrupted (Ctrl-C).")
	select {
	case <-ctx.Done():
	case err := <-served:
		return reportError(stderr, "demo", exitFailure, "%v", err)
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = server.Shutdown(shutdown)
	fmt.Fprintln(stdout, "Stopped.")
	return exitOK
}

// newWebServer returns the demo's http.Server for handler, with every
// timeout set, so that no connection, slow in its headers or its body, or
// idle, is held open for ever.
func newWebServer(handler http.Handler) *http.Server {
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      time.Minute,
		IdleTimeout:       time.Minute,
	}
}

// webDemo is the demo app: its handlers, the flow, the local endpoint, and
// the sessions of the users who connected.
type webDemo struct {
	baseURL string
	srv     *amplifyuibuildertest.Server
	flow    *figmaconnect.Flow
	// handler serves the demo's routes behind a check that refuses a POST
	// from another origin: the refresh is for this site's own form only.
	handler http.Handler

	mu       sync.Mutex
	sessions map[string]*webSession
}

// webSession is one connected user.
type webSession struct {
	source    *tokensource.Source
	refreshes int
}

// newWebDemo builds the demo app served at baseURL (http://HOST:PORT), with
// a new local endpoint whose authorize page redirects only to its callback.
// The flow logs its refusals and failures to logger.
func newWebDemo(baseURL string, logger *slog.Logger) (*webDemo, error) {
	d := &webDemo{baseURL: baseURL, sessions: map[string]*webSession{}}
	d.srv = amplifyuibuildertest.NewServer(amplifyuibuildertest.WithRedirectURIs(baseURL + webCallbackPath))
	flow, err := figmaconnect.New(figmaconnect.Config{
		Client:       d.srv.Client(),
		ClientID:     "demo-figma-client-id",
		RedirectURL:  baseURL + webCallbackPath,
		Scope:        "file_read",
		AuthorizeURL: d.srv.AuthorizeURL(),
		DoneURL:      webConnectedPath,
		StartURL:     webConnectPath,
		OnConnect:    d.connected,
		Logger:       logger,
	})
	if err != nil {
		d.srv.Close()
		return nil, err
	}
	d.flow = flow
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+webHomePath+"{$}", d.home)
	mux.Handle("GET "+webConnectPath, flow.StartHandler())
	mux.Handle(webCallbackPath, flow.CallbackHandler())
	mux.HandleFunc("GET "+webConnectedPath, d.showConnection)
	mux.HandleFunc("POST "+webRefreshPath, d.refresh)
	// The session cookie is SameSite=Lax, which a page on another port of
	// the same host still gets sent with (ports do not make another site):
	// without this check, any local page could post the refresh form.
	d.handler = http.NewCrossOriginProtection().Handler(mux)
	return d, nil
}

// Close stops the local endpoint.
func (d *webDemo) Close() {
	d.srv.Close()
}

// ServeHTTP serves the demo's pages, each with the headers that keep its
// address and its content where they are, and refuses (403) a POST that a
// browser says comes from another origin.
func (d *webDemo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	d.handler.ServeHTTP(w, r)
}

// connected is the flow's OnConnect: it starts the user's session with the
// Source, and lets the flow redirect to the connection page.
func (d *webDemo) connected(w http.ResponseWriter, r *http.Request, c *figmaconnect.Connection) error {
	id := rand.Text()
	d.mu.Lock()
	for old := range d.sessions {
		if len(d.sessions) < webMaxSessions {
			break
		}
		delete(d.sessions, old)
	}
	d.sessions[id] = &webSession{source: c.Source}
	d.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: webSessionCookie, Value: id, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	return nil
}

// session returns the session of r's cookie, or nil.
func (d *webDemo) session(r *http.Request) *webSession {
	c, err := r.Cookie(webSessionCookie)
	if err != nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.sessions[c.Value]
}

var webPage = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body><h1>{{.Title}}</h1>
{{if .Session}}<p>Status: <strong id="status">connected</strong></p>
<dl>
<dt>Access token</dt><dd id="access-token">{{.Redacted}}</dd>
<dt>Refresh token</dt><dd id="refresh-token">{{.Redacted}}</dd>
<dt>Access token expires</dt><dd id="expiry">{{.Expiry}}</dd>
<dt>Refreshes</dt><dd id="refreshes">{{.Refreshes}}</dd>
</dl>
<form method="post" action="{{.RefreshPath}}"><button id="refresh" type="submit">Refresh the access token</button></form>
{{if .Error}}<p id="error">{{.Error}}</p>{{end}}
{{else}}<p>Connect this demo to Figma. The local endpoint's authorize page stands in for Figma's, and for AWS.</p>
<p><a id="connect" href="{{.ConnectPath}}">Connect Figma</a></p>{{end}}
</body></html>
`))

// render writes the demo's page, for s if the user is connected.
func (d *webDemo) render(w http.ResponseWriter, status int, s *webSession, errText string) {
	data := struct {
		Title, Redacted, Expiry, Error, ConnectPath, RefreshPath string
		Session                                                  bool
		Refreshes                                                int
	}{Title: "Connect Figma", Redacted: redact.Marker, Error: errText, ConnectPath: webConnectPath, RefreshPath: webRefreshPath}
	if s != nil {
		tokens := s.source.Tokens()
		data.Title, data.Session = "Figma connected", true
		data.Expiry = "unknown"
		if !tokens.Expiry.IsZero() {
			data.Expiry = tokens.Expiry.UTC().Format(time.RFC3339)
		}
		d.mu.Lock()
		data.Refreshes = s.refreshes
		d.mu.Unlock()
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = webPage.Execute(w, data)
}

func (d *webDemo) home(w http.ResponseWriter, r *http.Request) {
	if d.session(r) != nil {
		http.Redirect(w, r, webConnectedPath, http.StatusSeeOther)
		return
	}
	d.render(w, http.StatusOK, nil, "")
}

func (d *webDemo) showConnection(w http.ResponseWriter, r *http.Request) {
	s := d.session(r)
	if s == nil {
		http.Redirect(w, r, webHomePath, http.StatusSeeOther)
		return
	}
	d.render(w, http.StatusOK, s, "")
}

// refresh renews the access token now, through the Source, and shows the
// connection again.
func (d *webDemo) refresh(w http.ResponseWriter, r *http.Request) {
	s := d.session(r)
	if s == nil {
		http.Redirect(w, r, webHomePath, http.StatusSeeOther)
		return
	}
	if err := s.source.Refresh(r.Context()); err != nil {
		status := http.StatusBadGateway
		if errors.Is(err, tokensource.ErrRefreshRefused) {
			status = http.StatusBadRequest
		}
		// The client's errors carry no token.
		d.render(w, status, s, "The refresh failed: "+err.Error())
		return
	}
	d.mu.Lock()
	s.refreshes++
	d.mu.Unlock()
	http.Redirect(w, r, webConnectedPath, http.StatusSeeOther)
}
