package amplifyuibuildertest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
)

// FuzzServeHTTP sends hostile requests to the handler: whatever the
// Authorization header, date, path and body, the answer is an AWS-style
// error with a JSON message that quotes no secret, never a panic.
func FuzzServeHTTP(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=LOCALTESTACCESSKEY/20250101/us-east-1/amplifyuibuilder/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
		"20250101T000000Z", uint8(0), []byte(`{"code":"c","redirectUri":"r"}`))
	f.Add("AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=, Signature=", "x", uint8(1), []byte(`{`))
	f.Add("AWS4-HMAC-SHA256 ,,,=,Credential====", "99999999T999999Z", uint8(2), []byte(nil))
	f.Add("", "", uint8(3), []byte(`[]`))
	paths := []string{"/tokens/figma", "/tokens/figma/refresh", "/tokens/%2F%2E%00", "/", "/tokens/a/b/c"}

	srv := amplifyuibuildertest.NewServer()
	f.Cleanup(srv.Close)
	secret := srv.Credentials().SecretAccessKey

	f.Fuzz(func(t *testing.T, authorization, amzDate string, path uint8, body []byte) {
		req := httptest.NewRequest(http.MethodPost, paths[int(path)%len(paths)], bytes.NewReader(body))
		req.Header["Authorization"] = []string{authorization}
		req.Header["X-Amz-Date"] = []string{amzDate}
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()

		srv.ServeHTTP(rec, req)

		assert.Contains(t, []int{http.StatusForbidden, http.StatusBadRequest}, rec.Code)
		assert.NotEmpty(t, rec.Header().Get("X-Amzn-Errortype"))
		assert.NotEmpty(t, rec.Header().Get("X-Amzn-Requestid"))
		var answer struct{ Message string }
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &answer))
		assert.NotEmpty(t, answer.Message)
		assert.NotContains(t, answer.Message, secret)
	})
}

// FuzzAuthorize sends hostile queries to the authorize endpoint: the answer
// is a page (200 or 400) or a 302 to a loopback redirect URI, never a
// redirect elsewhere, never a panic, and never a page that shows a code.
func FuzzAuthorize(f *testing.F) {
	f.Add("client_id=c&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fcb&state=s&response_type=code", false)
	f.Add("client_id=c&redirect_uri=http%3A%2F%2Fevil.example%2F&state=s&response_type=code", true)
	f.Add("client_id=c&redirect_uri=http%3A%2F%2Fa@127.0.0.1%2F&state=s&response_type=code", true)
	f.Add("client_id=c&redirect_uri=%2F%2Fevil.example&state=s&response_type=code&state=t", true)
	f.Add("redirect_uri=http://[::1]:1/x?y=%zz", true)
	f.Add("consent=x", false)
	srv := amplifyuibuildertest.NewServer()
	f.Cleanup(srv.Close)
	approving := amplifyuibuildertest.NewServer(amplifyuibuildertest.WithAutoApprove())
	f.Cleanup(approving.Close)

	f.Fuzz(func(t *testing.T, query string, autoApprove bool) {
		target := srv
		if autoApprove {
			target = approving
		}
		req := httptest.NewRequest(http.MethodGet, "/oauth", nil)
		req.URL.RawQuery = query
		rec := httptest.NewRecorder()

		target.ServeHTTP(rec, req)

		assert.Equal(t, "no-referrer", rec.Header().Get("Referrer-Policy"))
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest:
			assert.Empty(t, rec.Header().Get("Location"))
			assert.NotContains(t, rec.Body.String(), "code-")
		case http.StatusFound:
			location := rec.Header().Get("Location")
			u, err := url.Parse(location)
			require.NoError(t, err)
			assert.True(t, amplifyuibuildertest.IsLoopbackRedirectURI(location), "redirect to %q", location)
			assert.True(t, u.Host != "" && u.User == nil, "redirect to %q", location)
		default:
			t.Fatalf("status %d", rec.Code)
		}
	})
}
