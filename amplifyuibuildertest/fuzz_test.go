package amplifyuibuildertest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
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
