package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/uibuilder-go/amplifyuibuilder/internal/rawserver"
)

// TestEchoedSecretsNeverReachStderr: a server that echoes the request into
// the bytes net/http parses (a header line that is not one) makes the call
// fail with an error quoting the request; what the CLI prints of it carries
// none of the call's secrets, and still says what went wrong.
func TestEchoedSecretsNeverReachStderr(t *testing.T) {
	const (
		code         = "ECHO-authcode-3b9d71f0"
		clientID     = "ECHO-clientid-a2c4e6f8"
		refreshToken = "ECHO-refresh-5e6f7a8b"
		accessKeyID  = "AKIAECHOKEYID0123456"
		secretKey    = "ECHO/secret+key=wJalrXUtnFEMI"
		sessionToken = "ECHO+session/token==IQoJb3JpZ2lu"
	)
	// Each request is answered with a header line made of its body, its
	// Authorization header and its session token.
	addr, _ := rawserver.Start(t, func(req *http.Request, body []byte) string {
		echo := strings.Join([]string{string(body), req.Header.Get("Authorization"), req.Header.Get("X-Amz-Security-Token")}, " ")
		return "HTTP/1.1 200 OK\r\n" + echo + "\r\n\r\n"
	})
	isolateAWSConfig(t)
	t.Setenv("AWS_ACCESS_KEY_ID", accessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", secretKey)
	t.Setenv("AWS_SESSION_TOKEN", sessionToken)
	t.Setenv("AWS_REGION", "us-west-2")
	t.Setenv("AWS_MAX_ATTEMPTS", "1")

	for _, args := range [][]string{
		{"exchange-code-for-token", "--endpoint-url", "http://" + addr, "--provider", "figma",
			"--request", "code=" + code + ",redirectUri=https://example.com/cb,clientId=" + clientID},
		{"refresh-token", "--endpoint-url", "http://" + addr, "--provider", "figma",
			"--refresh-token-body", "token=" + refreshToken + ",clientId=" + clientID},
	} {
		t.Run(args[0], func(t *testing.T) {
			exit, stdout, stderr := cli(t, args...)
			assert.NotZero(t, exit)
			assert.Contains(t, stderr, "malformed MIME header line", "the failure is reported")
			assert.Contains(t, stderr, "[REDACTED]", "with the echo redacted")
			for _, secret := range []string{code, clientID, refreshToken, accessKeyID, secretKey, sessionToken} {
				assert.NotContains(t, stderr, secret)
				assert.NotContains(t, stdout, secret)
			}
		})
	}
}
