package amplifyuibuilder

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLogLinesNameOperationAndRequestID checks that a plain logger gets
// every line of a call prefixed with the operation, and, from the first
// response on, with its request id.
func TestLogLinesNameOperationAndRequestID(t *testing.T) {
	forEachOperation(t, func(t *testing.T, op tokenOperation) {
		logger := &captureLogger{}
		c, _ := setup(t, func(w http.ResponseWriter, attempt int, req captured) {
			if attempt == 1 {
				jsonResponse(w, 500, `{"message":"boom"}`)
				return
			}
			okTokens(w, attempt, req)
		}, func(o *Options) {
			o.Logger = logger
			o.ClientLogMode = aws.LogRequestWithBody | aws.LogResponseWithBody | aws.LogRetries | aws.LogSigning
		})
		_, err := op.run(t, c)
		require.NoError(t, err)

		lines := logger.all()
		var firsts []string
		for _, line := range lines {
			first, _, _ := strings.Cut(line, "\n")
			firsts = append(firsts, first)
		}
		prefix := "DEBUG AmplifyUIBuilder." + op.name
		assert.Equal(t, []string{
			prefix + ": Request signed: X-Amz-Date=" + dateOf(t, firsts[0]) + ", Authorization=AWS4-HMAC-SHA256 Credential=[REDACTED]/" + scopeOf(t, firsts[0]) + ", SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-date;x-amz-security-token, Signature=[REDACTED], X-Amz-Security-Token=[REDACTED]",
			prefix + ": Request",
			prefix + " (request id req-1234): Response",
			prefix + " (request id req-1234): retrying request AmplifyUIBuilder/" + op.name + ", attempt 2",
		}, firsts[:4])
		assert.Len(t, lines, 7, "two attempts of signing, request and response, and one retry line")
		assert.Contains(t, lines[1], op.loggedBody)
	})
}

// dateOf and scopeOf pull the parts of a signing line that change with time.
func dateOf(t *testing.T, line string) string {
	t.Helper()
	_, rest, ok := strings.Cut(line, "X-Amz-Date=")
	require.True(t, ok, line)
	date, _, _ := strings.Cut(rest, ",")
	require.Regexp(t, `^\d{8}T\d{6}Z$`, date)
	return date
}

func scopeOf(t *testing.T, line string) string {
	t.Helper()
	_, rest, ok := strings.Cut(line, "Credential=[REDACTED]/")
	require.True(t, ok, line)
	scope, _, _ := strings.Cut(rest, ",")
	require.Regexp(t, `^\d{8}/us-west-2/amplifyuibuilder/aws4_request$`, scope)
	return scope
}
