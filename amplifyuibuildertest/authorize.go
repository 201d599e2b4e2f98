package amplifyuibuildertest

import (
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// The authorize endpoint's paths. GET authorizePath answers the consent page;
// its links lead to allowPath and denyPath.
const (
	authorizePath = "/oauth"
	allowPath     = "/oauth/allow"
	denyPath      = "/oauth/deny"
)

// The longest parameters the authorize endpoint takes, in bytes: what it
// keeps of a request stays small however many arrive.
const (
	maxParameter   = 1 << 10
	maxRedirectURI = 2 << 10
)

// OperationAuthorize is the Request.Operation of a request to the authorize
// endpoint (GET /oauth and the Allow and Deny links of its page).
const OperationAuthorize = "Authorize"

// authorizeRequest is what a valid GET /oauth asks for: it is kept, under a
// consent id that the page's links carry, until the user allows or denies.
type authorizeRequest struct {
	clientID, redirectURI, scope, state string
}

// AuthorizeURL returns the base URL of the server's Figma-like authorize
// endpoint, srv.URL + "/oauth". A web app sends its user there, as it would
// to https://www.figma.com/oauth, with the query parameters client_id,
// redirect_uri, scope, state and response_type=code.
//
// GET on it answers a page with an "Allow" link (id "allow") and a "Deny"
// link (id "deny"), or with WithAutoApprove redirects at once as Allow does.
// Allow redirects (302) to redirect_uri with a fresh single-use code and the
// state; Deny with error=access_denied and the state. The code can be
// exchanged once, before it expires (WithCodeLifetime), with the same
// redirectUri; an exchange that names a clientId must name the client_id the
// code was issued to (one that names none is accepted, as the member is
// optional).
//
// Only redirect URIs that WithRedirectURIs allows are redirected to (by
// default any http or https URI on a loopback host: 127.0.0.0/8, ::1 or
// localhost, any port). A request with a redirect URI not allowed, or any
// other bad parameter (response_type other than code, client_id or state
// missing, a parameter given twice), gets a 400 page and no redirect. Pages
// and redirects are sent with Referrer-Policy: no-referrer and
// Cache-Control: no-store, and no page shows a code or a token.
func (s *Server) AuthorizeURL() string {
	return s.URL + authorizePath
}

// isAuthorizePath reports whether path belongs to the authorize endpoint.
func isAuthorizePath(path string) bool {
	return path == authorizePath || path == allowPath || path == denyPath
}

// serveAuthorize answers a request to the authorize endpoint.
func (s *Server) serveAuthorize(w http.ResponseWriter, r *http.Request, path string) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")

	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		writePage(w, http.StatusMethodNotAllowed, "Method not allowed", "The authorize endpoint answers GET only.", nil)
		return
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		writePage(w, http.StatusBadRequest, "Bad request", "The query string could not be read.", nil)
		return
	}
	for name, values := range query {
		if len(values) > 1 {
			writePage(w, http.StatusBadRequest, "Bad request", "The parameter "+name+" is given more than once.", nil)
			return
		}
	}

	if path != authorizePath {
		s.answerConsent(w, query.Get("consent"), path == allowPath)
		return
	}
	req, problem := s.checkAuthorizeRequest(query)
	if problem != "" {
		writePage(w, http.StatusBadRequest, "Bad request", problem, nil)
		return
	}
	if s.config.autoApprove {
		s.redirectAllowed(w, req)
		return
	}
	consent := newSecret("consent-")
	s.mu.Lock()
	now := s.now()
	s.consents.add(now, consent, req, now.Add(s.config.codeLifetime))
	s.mu.Unlock()
	writePage(w, http.StatusOK, "Allow access?", "", &consentLinks{
		RedirectURI: req.redirectURI,
		Scope:       req.scope,
		Allow:       allowPath + "?consent=" + url.QueryEscape(consent),
		Deny:        denyPath + "?consent=" + url.QueryEscape(consent),
	})
}

// checkAuthorizeRequest checks the parameters of GET /oauth and returns the
// request, or what is wrong with it.
func (s *Server) checkAuthorizeRequest(query url.Values) (authorizeRequest, string) {
	for name, limit := range map[string]int{"client_id": maxParameter, "scope": maxParameter, "state": maxParameter, "redirect_uri": maxRedirectURI} {
		if len(query.Get(name)) > limit {
			return authorizeRequest{}, fmt.Sprintf("The %s parameter is longer than %d bytes.", name, limit)
		}
	}
	// The values are copied out of the request line, which they would
	// otherwise keep in memory as long as the code lives.
	req := authorizeRequest{
		clientID:    strings.Clone(query.Get("client_id")),
		redirectURI: strings.Clone(query.Get("redirect_uri")),
		scope:       strings.Clone(query.Get("scope")),
		state:       strings.Clone(query.Get("state")),
	}
	switch {
	case req.redirectURI == "":
		return req, "The redirect_uri parameter is missing."
	case !s.redirectURIAllowed(req.redirectURI):
		return req, "The redirect_uri is not one this endpoint may redirect to."
	case query.Get("response_type") != "code":
		return req, "The response_type parameter must be code."
	case req.clientID == "":
		return req, "The client_id parameter is missing."
	case req.state == "":
		return req, "The state parameter is missing."
	}
	return req, ""
}

// redirectURIAllowed reports whether the endpoint may redirect to uri: one
// of the URIs WithRedirectURIs gave, exactly, or by default a loopback URI.
func (s *Server) redirectURIAllowed(uri string) bool {
	if s.config.redirectURIs != nil {
		return slices.Contains(s.config.redirectURIs, uri)
	}
	return IsLoopbackRedirectURI(uri)
}

// IsLoopbackRedirectURI reports whether the authorize endpoint allows uri
// as a redirect URI when WithRedirectURIs is not given: an http or https URI
// whose host is localhost or a loopback address (127.0.0.0/8, ::1), on any
// port and path, without user info or fragment.
func IsLoopbackRedirectURI(uri string) bool {
	u, err := url.Parse(uri)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Opaque != "" || u.User != nil ||
		u.Fragment != "" || strings.Contains(uri, "#") {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// answerConsent answers the Allow or Deny link of a consent page. The
// consent id is single-use: a second click, or a forged or expired id, gets
// a 400 page.
func (s *Server) answerConsent(w http.ResponseWriter, consent string, allow bool) {
	s.mu.Lock()
	req, ok := s.consents.take(s.now(), consent)
	s.mu.Unlock()
	if !ok {
		writePage(w, http.StatusBadRequest, "Bad request",
			"This authorization request is unknown, has expired or has already been answered. Start again from the application.", nil)
		return
	}
	if allow {
		s.redirectAllowed(w, req)
		return
	}
	redirect(w, req.redirectURI, url.Values{"error": {"access_denied"}, "state": {req.state}})
}

// redirectAllowed issues a code for req and redirects to its redirect URI
// with the code and the state, as the provider does when the user allows.
func (s *Server) redirectAllowed(w http.ResponseWriter, req authorizeRequest) {
	code := s.issueCode(req.redirectURI, req.clientID)
	redirect(w, req.redirectURI, url.Values{"code": {code}, "state": {req.state}})
}

// redirect answers 302 to redirectURI, an allowed one, with params added to
// its query.
func redirect(w http.ResponseWriter, redirectURI string, params url.Values) {
	u, err := url.Parse(redirectURI)
	if err != nil {
		// Only WithRedirectURIs can allow a URI that does not parse.
		writePage(w, http.StatusBadRequest, "Bad request", "The redirect_uri is not a valid URI.", nil)
		return
	}
	query := u.Query()
	for name, values := range params {
		query[name] = values
	}
	u.RawQuery = query.Encode()
	w.Header().Set("Location", u.String())
	w.WriteHeader(http.StatusFound)
}

// consentLinks is what the consent page shows: never the state, a code or
// the client id, only where the user will be sent and what is asked.
type consentLinks struct {
	RedirectURI, Scope, Allow, Deny string
}

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{.Title}} · Amplify UI Builder local endpoint</title></head>
<body>
<h1>{{.Title}}</h1>
{{with .Message}}<p id="message">{{.}}</p>{{end}}
{{with .Consent}}<p>An application asks for access to your Figma account{{with .Scope}} (scope: <code>{{.}}</code>){{end}}.
You will be sent back to <code>{{.RedirectURI}}</code>.</p>
<p><a id="allow" href="{{.Allow}}">Allow</a> <a id="deny" href="{{.Deny}}">Deny</a></p>{{end}}
<p><small>A local stand-in for Figma's authorize page, for tests only.</small></p>
</body>
</html>
`))

// writePage answers with an HTML page.
func writePage(w http.ResponseWriter, status int, title, message string, consent *consentLinks) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = pageTemplate.Execute(w, struct {
		Title, Message string
		Consent        *consentLinks
	}{title, message, consent})
}
