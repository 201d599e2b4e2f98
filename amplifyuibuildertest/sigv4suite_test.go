package amplifyuibuildertest_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
)

// suiteVector is a request of testdata/sigv4_suite_vectors.json: a shape of
// the public SigV4 test suite, signed for this service by
// testdata/sigv4_suite_vectors.py, which follows the specification step by
// step with Python's standard library alone.
type suiteVector struct {
	Name    string
	Target  string      // the request target as sent
	Headers [][2]string // in order, repeats kept
	Body    string
}

// sendRaw writes the request line, headers and body of v as they are, so
// that repeated headers, their order and their whitespace reach the server
// untouched, and returns the answer's status and error code.
func (v suiteVector) sendRaw(t *testing.T, srv *amplifyuibuildertest.Server, body string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(hangGuard)))
	var req strings.Builder
	fmt.Fprintf(&req, "POST %s HTTP/1.1\r\n", v.Target)
	for _, h := range v.Headers {
		fmt.Fprintf(&req, "%s:%s\r\n", h[0], h[1])
	}
	fmt.Fprintf(&req, "Content-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
	_, err = io.WriteString(conn, req.String())
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("X-Amzn-Errortype")
}

// TestSigV4SuiteShapes: requests of every shape of the public SigV4 test
// suite (repeated and multi-value headers, whitespace and tabs, header name
// case, query order, unreserved characters, UTF-8 and ";" in the query,
// dot segments and empty segments, UTF-8 and spaces in the path, a session
// token signed or added after signing), signed as the specification says,
// pass authentication and reach their operation; each with its body
// changed gets 403.
func TestSigV4SuiteShapes(t *testing.T) {
	data, err := os.ReadFile("testdata/sigv4_suite_vectors.json")
	require.NoError(t, err)
	var vectors []suiteVector
	require.NoError(t, json.Unmarshal(data, &vectors))
	require.Len(t, vectors, 21)

	srv := startServer(t,
		amplifyuibuildertest.WithCredentials(aws.Credentials{AccessKeyID: "AKIDSUITE", SecretAccessKey: "suite-secret-access-key", SessionToken: "suite-session-token"}),
		amplifyuibuildertest.WithClock(func() time.Time { return botocoreSignedAt }))
	for _, v := range vectors {
		t.Run(v.Name, func(t *testing.T) {
			status, code := v.sendRaw(t, srv, v.Body)
			assert.Equal(t, http.StatusBadRequest, status, "authenticated, then the made-up code (or provider) refused")
			assert.Equal(t, "InvalidParameterException", code)

			status, code = v.sendRaw(t, srv, strings.Replace(v.Body, "unknown", "changed", 1))
			assert.Equal(t, http.StatusForbidden, status, "the body changed after signing")
			assert.Equal(t, "InvalidSignatureException", code)
		})
	}
}
