package amplifyuibuildertest_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
	"github.com/uibuilder-go/amplifyuibuilder/internal/testkit"
)

const loopbackCallback = "http://127.0.0.1:8080/callback"

// noRedirects is a browser that stops at each redirect, so the test sees it.
var noRedirects = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout:       30 * time.Second,
}

// authorizeQuery is a valid query of GET /oauth, with changes.
func authorizeQuery(changes map[string]string) string {
	q := url.Values{
		"client_id":     {"client-1"},
		"redirect_uri":  {loopbackCallback},
		"scope":         {"files:read"},
		"state":         {"state-123"},
		"response_type": {"code"},
	}
	for name, value := range changes {
		if value == "" {
			q.Del(name)
		} else {
			q.Set(name, value)
		}
	}
	return q.Encode()
}

// get sends GET url and returns the answer with its body read.
func get(t *testing.T, u string) (*http.Response, string) {
	t.Helper()
	resp, err := noRedirects.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

// requirePageHeaders checks the headers every answer of the authorize
// endpoint carries, so that nothing in it is cached or leaks through Referer.
func requirePageHeaders(t *testing.T, resp *http.Response) {
	t.Helper()
	assert.Equal(t, "no-referrer", resp.Header.Get("Referrer-Policy"))
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'")
}

var linkPattern = regexp.MustCompile(`<a id="(allow|deny)" href="([^"]+)">`)

// consentLinks loads the consent page for query and returns its Allow and
// Deny links, absolute.
func consentLinks(t *testing.T, srv *amplifyuibuildertest.Server, query string) (allow, deny string) {
	t.Helper()
	resp, page := get(t, srv.AuthorizeURL()+"?"+query)
	require.Equal(t, http.StatusOK, resp.StatusCode, page)
	requirePageHeaders(t, resp)
	assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.NotContains(t, page, "code-", "the page shows no code")
	assert.NotContains(t, page, "state-123", "the page does not show the state")
	links := map[string]string{}
	for _, m := range linkPattern.FindAllStringSubmatch(page, -1) {
		links[m[1]] = srv.URL + strings.ReplaceAll(m[2], "&amp;", "&")
	}
	require.Contains(t, links, "allow", page)
	require.Contains(t, links, "deny", page)
	return links["allow"], links["deny"]
}

// requireRedirect checks that resp redirects to target's scheme, host and
// path and returns the query it adds.
func requireRedirect(t *testing.T, resp *http.Response, target string) url.Values {
	t.Helper()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	requirePageHeaders(t, resp)
	location, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	want, err := url.Parse(target)
	require.NoError(t, err)
	assert.Equal(t, want.Scheme+"://"+want.Host+want.Path, location.Scheme+"://"+location.Host+location.Path)
	return location.Query()
}

// TestAuthorizeAllow follows the Allow link of the consent page and exchanges
// the code it brings: once with the redirect URI it was issued for; never
// twice, and never with another redirect URI.
func TestAuthorizeAllow(t *testing.T) {
	srv := startServer(t)
	assert.Equal(t, srv.URL+"/oauth", srv.AuthorizeURL())
	allow, _ := consentLinks(t, srv, authorizeQuery(nil))

	resp, _ := get(t, allow)

	query := requireRedirect(t, resp, loopbackCallback)
	assert.Equal(t, "state-123", query.Get("state"))
	code := query.Get("code")
	require.NotEmpty(t, code)
	assert.Empty(t, query.Get("error"))

	out, err := exchange(t, newClient(srv), exchangeInput(code, loopbackCallback))
	require.NoError(t, err)
	assert.True(t, srv.AccessTokenValid(aws.ToString(out.AccessToken)))
	_, err = exchange(t, newClient(srv), exchangeInput(code, loopbackCallback))
	requireAPIError(t, err, http.StatusBadRequest, "InvalidParameterException")

	// A second click on Allow issues no second code.
	resp, page := get(t, allow)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Location"))
	assert.Contains(t, page, "already been answered")
}

func TestAuthorizeCodeIsBoundToItsRedirectURI(t *testing.T) {
	srv := startServer(t)
	allow, _ := consentLinks(t, srv, authorizeQuery(nil))
	resp, _ := get(t, allow)
	code := requireRedirect(t, resp, loopbackCallback).Get("code")

	_, err := exchange(t, newClient(srv), exchangeInput(code, "http://127.0.0.1:8080/other"))

	message := requireAPIError(t, err, http.StatusBadRequest, "InvalidParameterException")
	assert.Contains(t, message, "redirectUri does not match")
	_, err = exchange(t, newClient(srv), exchangeInput(code, loopbackCallback))
	requireAPIError(t, err, http.StatusBadRequest, "InvalidParameterException") // spent by the first try
}

func TestAuthorizeCodeIsBoundToItsClientID(t *testing.T) {
	srv := startServer(t, amplifyuibuildertest.WithAutoApprove())
	codeFor := func() string {
		resp, _ := get(t, srv.AuthorizeURL()+"?"+authorizeQuery(nil))
		return requireRedirect(t, resp, loopbackCallback).Get("code")
	}
	withClient := func(code, clientID string) error {
		in := exchangeInput(code, loopbackCallback)
		in.Request.ClientId = aws.String(clientID)
		_, err := exchange(t, newClient(srv), in)
		return err
	}

	message := requireAPIError(t, withClient(codeFor(), "client-2"), http.StatusBadRequest, "InvalidParameterException")
	assert.Contains(t, message, "clientId does not match")
	require.NoError(t, withClient(codeFor(), "client-1"))
	_, err := exchange(t, newClient(srv), exchangeInput(codeFor(), loopbackCallback))
	require.NoError(t, err, "an exchange that names no clientId is accepted")
}

func TestAuthorizeDeny(t *testing.T) {
	srv := startServer(t)
	allow, deny := consentLinks(t, srv, authorizeQuery(nil))

	resp, _ := get(t, deny)

	query := requireRedirect(t, resp, loopbackCallback)
	assert.Equal(t, url.Values{"error": {"access_denied"}, "state": {"state-123"}}, query)
	resp, _ = get(t, allow)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "the request was answered")
}

func TestAuthorizeAutoApprove(t *testing.T) {
	srv := startServer(t, amplifyuibuildertest.WithAutoApprove())

	resp, _ := get(t, srv.AuthorizeURL()+"?"+authorizeQuery(map[string]string{"redirect_uri": "http://localhost:3000/cb?keep=1"}))

	query := requireRedirect(t, resp, "http://localhost:3000/cb")
	assert.Equal(t, "1", query.Get("keep"), "the redirect URI's own query is kept")
	assert.Equal(t, "state-123", query.Get("state"))
	_, err := exchange(t, newClient(srv), exchangeInput(query.Get("code"), "http://localhost:3000/cb?keep=1"))
	require.NoError(t, err)
}

func TestAuthorizeCodeExpires(t *testing.T) {
	clock := testkit.NewClock(time.Now())
	srv := startServer(t, amplifyuibuildertest.WithAutoApprove(), amplifyuibuildertest.WithClock(clock.Now),
		amplifyuibuildertest.WithCodeLifetime(time.Minute))
	codeFor := func() string {
		resp, _ := get(t, srv.AuthorizeURL()+"?"+authorizeQuery(nil))
		return requireRedirect(t, resp, loopbackCallback).Get("code")
	}
	fresh, stale := codeFor(), codeFor()

	clock.Advance(59 * time.Second)
	_, err := exchange(t, newClient(srv), exchangeInput(fresh, loopbackCallback))
	require.NoError(t, err)
	clock.Advance(time.Second)
	_, err = exchange(t, newClient(srv), exchangeInput(stale, loopbackCallback))
	message := requireAPIError(t, err, http.StatusBadRequest, "InvalidParameterException")
	assert.Contains(t, message, "unknown or has already been used")
}

func TestIssuedCodeExpiresAfterTenMinutes(t *testing.T) {
	clock := testkit.NewClock(time.Now())
	srv := startServer(t, amplifyuibuildertest.WithClock(clock.Now))
	code := srv.IssueCode(redirectURI)

	clock.Advance(amplifyuibuildertest.DefaultCodeLifetime)

	_, err := exchange(t, newClient(srv), exchangeInput(code, redirectURI))
	requireAPIError(t, err, http.StatusBadRequest, "InvalidParameterException")
}

func TestAuthorizeConsentExpires(t *testing.T) {
	clock := testkit.NewClock(time.Now())
	srv := startServer(t, amplifyuibuildertest.WithClock(clock.Now), amplifyuibuildertest.WithCodeLifetime(time.Minute))
	allow, _ := consentLinks(t, srv, authorizeQuery(nil))

	clock.Advance(time.Minute)
	resp, _ := get(t, allow)

	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Location"))
}

func TestAuthorizeWithRedirectURIs(t *testing.T) {
	const registered = "https://app.example/callback"
	srv := startServer(t, amplifyuibuildertest.WithAutoApprove(), amplifyuibuildertest.WithRedirectURIs(registered))

	resp, _ := get(t, srv.AuthorizeURL()+"?"+authorizeQuery(map[string]string{"redirect_uri": registered}))
	requireRedirect(t, resp, registered)

	for _, other := range []string{loopbackCallback, registered + "/", "https://app.example/callback?x=1", "HTTPS://app.example/callback"} {
		resp, _ := get(t, srv.AuthorizeURL()+"?"+authorizeQuery(map[string]string{"redirect_uri": other}))
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, other)
		assert.Empty(t, resp.Header.Get("Location"), other)
	}
}

// TestAuthorizeBadRequests: each bad request gets a 400 page and no redirect,
// with or without auto-approve.
func TestAuthorizeBadRequests(t *testing.T) {
	tests := []struct {
		name    string
		query   string
		message string
	}{
		{"no redirect_uri", authorizeQuery(map[string]string{"redirect_uri": ""}), "redirect_uri parameter is missing"},
		{"relative redirect_uri", authorizeQuery(map[string]string{"redirect_uri": "/callback"}), "not one this endpoint may redirect to"},
		{"other host", authorizeQuery(map[string]string{"redirect_uri": "https://evil.example/callback"}), "not one this endpoint may redirect to"},
		{"loopback-looking host", authorizeQuery(map[string]string{"redirect_uri": "http://127.0.0.1.evil.example/cb"}), "not one this endpoint may redirect to"},
		{"localhost subdomain", authorizeQuery(map[string]string{"redirect_uri": "http://localhost.evil.example/cb"}), "not one this endpoint may redirect to"},
		{"user info", authorizeQuery(map[string]string{"redirect_uri": "http://evil.example@127.0.0.1/cb"}), "not one this endpoint may redirect to"},
		{"non-ASCII look-alike of localhost", authorizeQuery(map[string]string{"redirect_uri": "http://localho\u017ft/cb"}), "not one this endpoint may redirect to"},
		{"fragment", authorizeQuery(map[string]string{"redirect_uri": "http://127.0.0.1/cb#x"}), "not one this endpoint may redirect to"},
		{"javascript scheme", authorizeQuery(map[string]string{"redirect_uri": "javascript:alert(1)//127.0.0.1"}), "not one this endpoint may redirect to"},
		{"scheme-relative", authorizeQuery(map[string]string{"redirect_uri": "//127.0.0.1/cb"}), "not one this endpoint may redirect to"},
		{"response_type token", authorizeQuery(map[string]string{"response_type": "token"}), "response_type parameter must be code"},
		{"no response_type", authorizeQuery(map[string]string{"response_type": ""}), "response_type parameter must be code"},
		{"no client_id", authorizeQuery(map[string]string{"client_id": ""}), "client_id parameter is missing"},
		{"no state", authorizeQuery(map[string]string{"state": ""}), "state parameter is missing"},
		{"state twice", authorizeQuery(nil) + "&state=other", "given more than once"},
		{"redirect_uri twice", authorizeQuery(nil) + "&redirect_uri=https%3A%2F%2Fevil.example%2F", "given more than once"},
		{"bad query", authorizeQuery(nil) + "&x=%zz", "could not be read"},
		{"long state", authorizeQuery(map[string]string{"state": strings.Repeat("s", 1025)}), "state parameter is longer than 1024 bytes"},
		{"long redirect_uri", authorizeQuery(map[string]string{"redirect_uri": loopbackCallback + "/" + strings.Repeat("r", 2048)}), "redirect_uri parameter is longer than 2048 bytes"},
	}
	for _, approve := range []bool{false, true} {
		var opts []amplifyuibuildertest.Option
		if approve {
			opts = append(opts, amplifyuibuildertest.WithAutoApprove())
		}
		srv := startServer(t, opts...)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp, page := get(t, srv.AuthorizeURL()+"?"+tt.query)

				assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
				assert.Empty(t, resp.Header.Get("Location"))
				requirePageHeaders(t, resp)
				assert.Contains(t, page, tt.message)
				assert.NotContains(t, page, `id="allow"`)
			})
		}
	}
}

func TestAuthorizeRefusesOtherMethods(t *testing.T) {
	srv := startServer(t)

	resp, err := noRedirects.Post(srv.AuthorizeURL()+"?"+authorizeQuery(nil), "application/x-www-form-urlencoded", nil)
	require.NoError(t, err)
	resp.Body.Close()

	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Location"))
}

func TestAuthorizeIsRecorded(t *testing.T) {
	srv := startServer(t, amplifyuibuildertest.WithAutoApprove())
	resp, _ := get(t, srv.AuthorizeURL()+"?"+authorizeQuery(nil))
	require.Equal(t, http.StatusFound, resp.StatusCode)

	requests := srv.Requests()
	require.Len(t, requests, 1)
	assert.Equal(t, amplifyuibuildertest.OperationAuthorize, requests[0].Operation)
	assert.Equal(t, "/oauth", requests[0].Path)
	assert.Equal(t, http.StatusFound, requests[0].Status)
}

// TestClientSignsOnTheServersClock: on a server with WithClock, srv.Client's
// first attempt is accepted however far the clock is from the machine's; no
// 403 and retry with skew correction is needed.
func TestClientSignsOnTheServersClock(t *testing.T) {
	clock := testkit.NewClock(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
	srv := startServer(t, amplifyuibuildertest.WithClock(clock.Now))

	_, err := exchange(t, srv.Client(), exchangeInput(srv.IssueCode(redirectURI), redirectURI))
	require.NoError(t, err)
	clock.Advance(48 * time.Hour)
	_, err = exchange(t, srv.Client(), exchangeInput(srv.IssueCode(redirectURI), redirectURI))
	require.NoError(t, err)

	requests := srv.Requests()
	require.Len(t, requests, 2, "each call is accepted at its first attempt")
	assert.Equal(t, "20300104T030405Z", requests[1].Header.Get("X-Amz-Date"))
}
