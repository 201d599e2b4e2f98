package amplifyuibuilder

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	smithy "github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/internal/rawserver"
	"github.com/uibuilder-go/amplifyuibuilder/internal/redact"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// Servers that echo the request into the bytes net/http parses before any
// response exists: the error net/http returns quotes them, secrets and all.
// Every error a call returns must be free of the call's secrets all the
// same, in every fmt verb and all along its chain, and still reach the
// errors it wraps.

// echoText is what a hostile server repeats of a request: its body (the
// code or refresh token, and the client id), its Authorization header (the
// access key id) and its session token.
func echoText(req *http.Request, body []byte) string {
	return string(body) + " " + req.Header.Get("Authorization") + " " + req.Header.Get("X-Amz-Security-Token")
}

// transportEchoes are responses net/http refuses, each quoting the request
// in its error, and a word of the error net/http gives.
// inBody marks an echo in the response body's framing, read after the
// response arrived: a deserialization error rather than a send error.
var transportEchoes = []struct {
	name    string
	respond func(req *http.Request, body []byte) string
	want    string
	inBody  bool
}{
	// A status line, and a status code, end at the first space: the echo
	// there has none.
	{"status line", func(req *http.Request, body []byte) string {
		return string(body) + req.Header.Get("X-Amz-Security-Token") + "\r\n\r\n"
	}, "malformed HTTP response", false},
	{"status code", func(req *http.Request, body []byte) string {
		return "HTTP/1.1 " + string(body) + req.Header.Get("X-Amz-Security-Token") + " OK\r\n\r\n"
	}, "malformed HTTP status code", false},
	{"Content-Length", func(req *http.Request, body []byte) string {
		return "HTTP/1.1 200 OK\r\nContent-Length: " + echoText(req, body) + "\r\n\r\n"
	}, "Content-Length", false},
	{"header line", func(req *http.Request, body []byte) string {
		return "HTTP/1.1 200 OK\r\n" + echoText(req, body) + "\r\n\r\n"
	}, "malformed MIME header line", false},
	// The body's own errors: a trailer line that is not one.
	{"trailer line", func(req *http.Request, body []byte) string {
		return "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + echoText(req, body) + "\r\n\r\n"
	}, "malformed MIME header line", true},
	// Well formed but for its Location: "Connection: close", or the next
	// attempt would try the connection the server closed.
	{"Location", func(req *http.Request, body []byte) string {
		return "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://%zz/" + echoText(req, body) + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
	}, "failed to parse Location header", false},
}

// echoCalls call each operation with the sweep's secrets.
var echoCalls = []struct {
	name string
	call func(ctx context.Context, c *Client) error
}{
	{"ExchangeCodeForToken", func(ctx context.Context, c *Client) error {
		_, err := c.ExchangeCodeForToken(ctx, &ExchangeCodeForTokenInput{
			Provider: types.TokenProvidersFigma,
			Request: &types.ExchangeCodeForTokenRequestBody{
				Code: aws.String(secretCode), ClientId: aws.String(secretClientID), RedirectUri: aws.String(sweepRedirect),
			},
		})
		return err
	}},
	{"RefreshToken", func(ctx context.Context, c *Client) error {
		_, err := c.RefreshToken(ctx, &RefreshTokenInput{
			Provider:         types.TokenProvidersFigma,
			RefreshTokenBody: &types.RefreshTokenRequestBody{Token: aws.String(secretRefreshIn), ClientId: aws.String(secretClientID)},
		})
		return err
	}},
}

// newSweepClient is a client of the sweep's credentials pointed at addr,
// with a retryer that does not wait.
func newSweepClient(addr string, optFns ...func(*Options)) *Client {
	return New(Options{
		Region:       testRegion,
		BaseEndpoint: aws.String("http://" + addr),
		Credentials:  credentials.NewStaticCredentialsProvider(secretAccessKeyID, secretKey, secretSessionToken),
		Retryer:      noWaitRetryer(3),
	}, optFns...)
}

func TestTransportErrorsCarryNoSecret(t *testing.T) {
	for _, echo := range transportEchoes {
		for _, call := range echoCalls {
			t.Run(echo.name+"/"+call.name, func(t *testing.T) {
				addr, hits := rawserver.Start(t, echo.respond)
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				logger := &captureLogger{}
				err := call.call(ctx, newSweepClient(addr, withLogging(logger)))
				require.Error(t, err)
				for _, line := range logger.all() {
					for _, secret := range sweepSecrets {
						require.NotContains(t, line, secret)
					}
				}
				require.NotZero(t, hits.Load(), "the request reached the server")
				assert.ErrorContains(t, err, echo.want, "the error still says what was wrong")
				assert.ErrorContains(t, err, redact.Marker, "the echo is in the error, redacted")

				// Still the errors a caller looks for.
				requireOperationError(t, err, call.name)
				var respErr *awshttp.ResponseError
				require.ErrorAs(t, err, &respErr)
				if echo.inBody {
					var deserErr *smithy.DeserializationError
					require.ErrorAs(t, err, &deserErr)
					requireNoSecret(t, err, respErr, deserErr)
					return
				}
				var sendErr *smithyhttp.RequestSendError
				require.ErrorAs(t, err, &sendErr)
				var urlErr *url.Error
				require.ErrorAs(t, err, &urlErr)
				var netErr net.Error
				require.ErrorAs(t, err, &netErr)
				assert.False(t, netErr.Timeout())
				requireNoSecret(t, err, urlErr, respErr, sendErr, netErr)
			})
		}
	}
}

// TestScrubbedTransportErrorsStillUnwrap: a transport error that quotes a
// secret and times out, or is cancelled, is scrubbed and still a timeout,
// still context.DeadlineExceeded.
func TestScrubbedTransportErrorsStillUnwrap(t *testing.T) {
	timeout := &net.OpError{Op: "read", Net: "tcp", Err: context.DeadlineExceeded}
	original := &url.Error{Op: "Post", URL: "http://127.0.0.1/" + secretCode,
		Err: fmt.Errorf("echo %s: %w", secretClientID, timeout)}
	c := New(Options{Region: testRegion, BaseEndpoint: aws.String("http://127.0.0.1:1"), Retryer: noWaitRetryer(1),
		HTTPClient:  doFunc(func(*http.Request) (*http.Response, error) { return nil, original }),
		Credentials: credentials.NewStaticCredentialsProvider(secretAccessKeyID, secretKey, secretSessionToken)})
	err := echoCalls[0].call(context.Background(), c)
	require.Error(t, err)

	var urlErr *url.Error
	require.ErrorAs(t, err, &urlErr)
	assert.NotSame(t, original, urlErr, "a clean copy of the *url.Error, not the original")
	assert.True(t, urlErr.Timeout(), "the copy is still a timeout")
	var opErr *net.OpError
	require.ErrorAs(t, err, &opErr)
	assert.Same(t, timeout, opErr)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var netErr net.Error
	require.ErrorAs(t, err, &netErr)
	assert.True(t, netErr.Timeout())
	requireNoSecret(t, err, urlErr, netErr)
}

// doFunc is an HTTPClient made of a function.
type doFunc func(*http.Request) (*http.Response, error)

func (f doFunc) Do(req *http.Request) (*http.Response, error) { return f(req) }

// requireNoSecret checks every error given, and every error along each
// one's chain, in every fmt verb, for every secret of the sweep.
func requireNoSecret(t *testing.T, errs ...error) {
	t.Helper()
	for _, top := range errs {
		for _, e := range chain(top) {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
				text := fmt.Sprintf(verb, e)
				for _, secret := range sweepSecrets {
					require.NotContains(t, text, secret, "%T printed with %s", e, verb)
				}
			}
			for _, secret := range sweepSecrets {
				require.NotContains(t, e.Error(), secret, "%T", e)
			}
			var apiErr smithy.APIError
			if errors.As(e, &apiErr) {
				for _, secret := range sweepSecrets {
					require.NotContains(t, apiErr.ErrorCode()+apiErr.ErrorMessage(), secret)
				}
			}
		}
	}
}

// TestScrubbedErrorFormat: every verb prints the scrubbed text, with its
// flags, and %#v prints Go syntax without the original's fields.
func TestScrubbedErrorFormat(t *testing.T) {
	scrub := strings.NewReplacer("s3cr3t-value", redact.Marker).Replace
	e := newScrubbedError(fmt.Errorf("bad %q", "s3cr3t-value"), scrub)
	want := `bad "` + redact.Marker + `"`
	assert.Equal(t, want, e.Error())
	for _, verb := range []string{"%v", "%+v", "%s"} {
		assert.Equal(t, want, fmt.Sprintf(verb, e), verb)
	}
	assert.Equal(t, fmt.Sprintf("%q", want), fmt.Sprintf("%q", e))
	assert.Equal(t, fmt.Sprintf("%x", want), fmt.Sprintf("%x", e))
	assert.Equal(t, fmt.Sprintf("%40s", want), fmt.Sprintf("%40s", e), "flags and width are kept")
	assert.Equal(t, fmt.Sprintf("&amplifyuibuilder.scrubbedError{text:%q}", want), fmt.Sprintf("%#v", e))
}

// TestOperationErrorScrubbedWhateverItsSource: an error that quotes a secret
// from anywhere in the stack (here a stack function of the caller's) comes
// back scrubbed, and the original is still reachable with errors.Is.
func TestOperationErrorScrubbedWhateverItsSource(t *testing.T) {
	original := fmt.Errorf("refused %s for %s", secretCode, secretClientID)
	c := newSweepClient("127.0.0.1:1", WithAPIOptions(func(s *middleware.Stack) error {
		return s.Finalize.Add(middleware.FinalizeMiddlewareFunc("Refuse", func(context.Context, middleware.FinalizeInput, middleware.FinalizeHandler) (
			middleware.FinalizeOutput, middleware.Metadata, error,
		) {
			return middleware.FinalizeOutput{}, middleware.Metadata{}, original
		}), middleware.After)
	}))
	err := echoCalls[0].call(context.Background(), c)
	opErr := requireOperationError(t, err, "ExchangeCodeForToken")
	assert.Equal(t, "operation error AmplifyUIBuilder: ExchangeCodeForToken, refused [REDACTED] for [REDACTED]", opErr.Error())
	assert.ErrorIs(t, err, original)
	requireNoSecret(t, err)
}
