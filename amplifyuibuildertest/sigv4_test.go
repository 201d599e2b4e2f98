package amplifyuibuildertest_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
)

// botocoreVector is a request signed by botocore's SigV4Auth, made by
// testdata/botocore_sigv4_vectors.py: an independent signer, which
// canonicalises as the SigV4 specification says.
type botocoreVector struct {
	Name    string
	Path    string
	Host    string
	Body    string
	Region  string
	Headers map[string]string
}

// botocoreSignedAt is when the vectors were signed; the server's clock is
// set to it.
var botocoreSignedAt = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func botocoreVectors(t *testing.T) []botocoreVector {
	t.Helper()
	data, err := os.ReadFile("testdata/botocore_sigv4_vectors.json")
	require.NoError(t, err)
	var vectors []botocoreVector
	require.NoError(t, json.Unmarshal(data, &vectors))
	require.Len(t, vectors, 2)
	return vectors
}

// send sends v over real HTTP to srv, with v's Host header, and returns the
// status and the error code.
func (v botocoreVector) send(t *testing.T, srv *amplifyuibuildertest.Server) (status int, code, message string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+v.Path, strings.NewReader(v.Body))
	require.NoError(t, err)
	req.Host = v.Host
	for name, value := range v.Headers {
		req.Header.Set(name, value)
	}
	resp, err := noRedirects.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var answer struct{ Message string }
	body, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(body, &answer)
	return resp.StatusCode, resp.Header.Get("X-Amzn-Errortype"), answer.Message
}

// botocoreServer is a server with the default credentials, on the clock the
// vectors were signed at.
func botocoreServer(t *testing.T, opts ...amplifyuibuildertest.Option) *amplifyuibuildertest.Server {
	return startServer(t, append([]amplifyuibuildertest.Option{
		amplifyuibuildertest.WithClock(func() time.Time { return botocoreSignedAt }),
	}, opts...)...)
}

// TestOtherSDKsSignatures: requests botocore signed, with dot segments and
// empty segments in the path and tabs in a signed header value, pass
// authentication, are routed on the normalised path (no redirect), and
// reach their operation, which refuses their made-up code or token.
func TestOtherSDKsSignatures(t *testing.T) {
	want := map[string]struct {
		operation, message string
	}{
		"exchange, dot segments and a tab": {amplifyuibuildertest.OperationExchangeCodeForToken, "authorization code is not valid"},
		"refresh, empty and dot segments":  {amplifyuibuildertest.OperationRefreshToken, "refresh token is not valid"},
	}
	for _, v := range botocoreVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			srv := botocoreServer(t)

			status, code, message := v.send(t, srv)

			assert.Equal(t, http.StatusBadRequest, status, "%s: %s", code, message)
			assert.Equal(t, "InvalidParameterException", code)
			assert.Contains(t, message, want[v.Name].message)
			requests := srv.Requests()
			require.Len(t, requests, 1)
			assert.Equal(t, want[v.Name].operation, requests[0].Operation)
			assert.Equal(t, v.Path, requests[0].Path, "the record keeps the path as sent")
			assert.Equal(t, v.Region, requests[0].Region)
		})
	}
}

// TestOtherSDKsSignaturesStillCatchChanges: the canonicalisation forgives
// only what the specification forgives. Every other change to a botocore
// request, and every rejection rule, still gives a 403.
func TestOtherSDKsSignaturesStillCatchChanges(t *testing.T) {
	v := botocoreVectors(t)[0]
	tests := []struct {
		name    string
		change  func(v *botocoreVector)
		opts    []amplifyuibuildertest.Option
		status  int
		code    string
		message string
	}{
		{name: "path that normalises the same", change: func(v *botocoreVector) { v.Path = "/tokens/figma" },
			status: http.StatusBadRequest, code: "InvalidParameterException"},
		{name: "path that normalises the same, spelled otherwise", change: func(v *botocoreVector) { v.Path = "/tokens/x/.././figma/" + "." },
			status: http.StatusBadRequest, code: "InvalidParameterException"},
		{name: "header whitespace folded otherwise", change: func(v *botocoreVector) { v.Headers["X-Custom"] = "a b\t\tc" },
			status: http.StatusBadRequest, code: "InvalidParameterException"},
		{name: "path of another operation", change: func(v *botocoreVector) { v.Path += "/refresh" },
			status: http.StatusForbidden, code: "InvalidSignatureException", message: "does not match the signature you provided"},
		{name: "escaped dot is no dot segment", change: func(v *botocoreVector) { v.Path = "/tokens/%2E/figma/../figma" },
			status: http.StatusForbidden, code: "InvalidSignatureException", message: "does not match"},
		{name: "signed header value changed", change: func(v *botocoreVector) { v.Headers["X-Custom"] = "a\tb   d" },
			status: http.StatusForbidden, code: "InvalidSignatureException", message: "does not match"},
		{name: "space inside a word", change: func(v *botocoreVector) { v.Headers["X-Custom"] = "a\tb c c" },
			status: http.StatusForbidden, code: "InvalidSignatureException", message: "does not match"},
		{name: "body changed", change: func(v *botocoreVector) { v.Body = strings.Replace(v.Body, "example.com", "examplf.com", 1) },
			status: http.StatusForbidden, code: "InvalidSignatureException", message: "does not match"},
		{name: "host changed", change: func(v *botocoreVector) { v.Host = "127.0.0.1:4600" },
			status: http.StatusForbidden, code: "InvalidSignatureException", message: "does not match"},
		{name: "unknown access key", change: func(v *botocoreVector) {
			v.Headers["Authorization"] = strings.Replace(v.Headers["Authorization"], "LOCALTESTACCESSKEY", "AKIDSOMEONEELSE", 1)
		}, status: http.StatusForbidden, code: "UnrecognizedClientException"},
		{name: "wrong secret", opts: []amplifyuibuildertest.Option{amplifyuibuildertest.WithCredentials(aws.Credentials{
			AccessKeyID: "LOCALTESTACCESSKEY", SecretAccessKey: "another-secret",
		})}, status: http.StatusForbidden, code: "InvalidSignatureException", message: "does not match"},
		{name: "no Authorization", change: func(v *botocoreVector) { delete(v.Headers, "Authorization") },
			status: http.StatusForbidden, code: "MissingAuthenticationTokenException"},
		{name: "server clock 6 minutes later", opts: []amplifyuibuildertest.Option{
			amplifyuibuildertest.WithClock(func() time.Time { return botocoreSignedAt.Add(6 * time.Minute) }),
		}, status: http.StatusForbidden, code: "InvalidSignatureException", message: "Signature expired"},
		{name: "region pinned to another", opts: []amplifyuibuildertest.Option{amplifyuibuildertest.WithRegion("us-east-1")},
			status: http.StatusForbidden, code: "InvalidSignatureException", message: "Credential should be scoped to a valid region"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changed := v
			changed.Headers = map[string]string{}
			for name, value := range v.Headers {
				changed.Headers[name] = value
			}
			if tt.change != nil {
				tt.change(&changed)
			}
			srv := botocoreServer(t, tt.opts...)

			status, code, message := changed.send(t, srv)

			assert.Equal(t, tt.status, status, "%s: %s", code, message)
			assert.Equal(t, tt.code, code)
			assert.Contains(t, message, tt.message)
		})
	}
}

// TestPathSignedAsSentIsRefused: a signature over the path with its dot
// segments, as aws-sdk-go-v2's signer alone computes it, is not the one the
// service computes, so the server refuses it as the service would.
func TestPathSignedAsSentIsRefused(t *testing.T) {
	srv := botocoreServer(t)
	body := `{"code":"code-unknown","redirectUri":"https://example.com/callback"}`
	send := func(path string) (int, string) {
		req, err := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		sum := sha256.Sum256([]byte(body))
		require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), srv.Credentials(), req,
			hex.EncodeToString(sum[:]), "amplifyuibuilder", "us-east-1", botocoreSignedAt))
		resp, err := noRedirects.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("X-Amzn-Errortype")
	}

	status, code := send("/tokens/./figma")
	assert.Equal(t, http.StatusForbidden, status)
	assert.Equal(t, "InvalidSignatureException", code)

	status, code = send("/tokens/figma")
	assert.Equal(t, http.StatusBadRequest, status, "the same signer over a normal path is accepted")
	assert.Equal(t, "InvalidParameterException", code)
}
