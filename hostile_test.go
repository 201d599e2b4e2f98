package amplifyuibuilder

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	smithy "github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/internal/jsonwire"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// Responses from a server that misbehaves: each ends in the right result or a
// typed error, never a panic, and every test runs with and without logging
// so that the logging middleware meets the same responses.

// eachLogMode runs test once without logging and once with every log mode.
func eachLogMode(t *testing.T, test func(t *testing.T, optFns ...func(*Options))) {
	t.Run("no logging", func(t *testing.T) { test(t) })
	t.Run("all logging", func(t *testing.T) {
		logger := &captureLogger{}
		test(t, withLogging(logger))
		assert.NotEmpty(t, logger.all(), "the logging run logged nothing")
	})
}

// requireDeserializationError checks that err is a deserialization error
// about a response with the given status.
func requireDeserializationError(t *testing.T, err error, status int) *smithy.DeserializationError {
	t.Helper()
	require.Error(t, err)
	var op *smithy.OperationError
	require.ErrorAs(t, err, &op)
	var deser *smithy.DeserializationError
	require.ErrorAs(t, err, &deser, "got %v", err)
	var resp *awshttp.ResponseError
	require.ErrorAs(t, err, &resp)
	assert.Equal(t, status, resp.HTTPStatusCode())
	assert.Equal(t, "req-1234", resp.ServiceRequestID())
	return deser
}

func TestHostileSuccessBodies(t *testing.T) {
	forEachOperation(t, func(t *testing.T, op tokenOperation) {
		for _, tc := range hostileSuccessBodies(op) {
			t.Run(tc.name, func(t *testing.T) {
				eachLogMode(t, func(t *testing.T, optFns ...func(*Options)) {
					c, rec := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
						jsonResponse(w, 200, tc.body)
					}, optFns...)
					out, err := op.run(t, c)
					tc.check(t, out, err)
					assert.Len(t, rec.all(), 1, "a 200 response is never retried")
				})
			})
		}
	})
}

// successBody is a 2xx body and a check of what an operation made of it.
type successBody struct {
	name  string
	body  string
	check func(*testing.T, *tokenResult, error)
}

// hostileSuccessBodies are 2xx bodies that a misbehaving server may send, and
// what op makes of each.
func hostileSuccessBodies(op tokenOperation) []successBody {
	deep := func(depth int) string {
		return `{"accessToken":"at-1","x":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + `}`
	}
	isTypeError := func(want, got string) func(*testing.T, *tokenResult, error) {
		return func(t *testing.T, _ *tokenResult, err error) {
			requireDeserializationError(t, err, 200)
			var typeErr *jsonwire.TypeError
			require.ErrorAs(t, err, &typeErr)
			assert.Equal(t, want, typeErr.Want)
			assert.Equal(t, got, typeErr.Got)
		}
	}
	isInvalidJSON := func(t *testing.T, _ *tokenResult, err error) {
		requireDeserializationError(t, err, 200)
		assert.ErrorContains(t, err, "not valid JSON")
	}
	isOutOfRange := func(t *testing.T, _ *tokenResult, err error) {
		requireDeserializationError(t, err, 200)
		assert.ErrorIs(t, err, jsonwire.ErrInt32Range)
		assert.ErrorContains(t, err, "member expiresIn")
	}
	tokens := func(access string, expires int32, refresh string) func(*testing.T, *tokenResult, error) {
		return func(t *testing.T, out *tokenResult, err error) {
			require.NoError(t, err)
			assert.Equal(t, access, aws.ToString(out.AccessToken))
			assert.Equal(t, expires, aws.ToInt32(out.ExpiresIn))
			assert.Equal(t, aws.ToString(op.refreshTokenOf(&refresh)), aws.ToString(out.RefreshToken))
		}
	}
	absent := func(t *testing.T, out *tokenResult, err error) {
		require.NoError(t, err)
		assert.Nil(t, out.AccessToken)
		assert.Nil(t, out.ExpiresIn)
		assert.Nil(t, out.RefreshToken)
	}

	return []successBody{
		{"invalid JSON", `{"accessToken":"at-1",`, isInvalidJSON},
		{"not JSON at all", `access_token=at-1&expires_in=3600`, isInvalidJSON},
		{"trailing garbage", `{"accessToken":"at-1"} }`, isInvalidJSON},
		{"two documents", `{"accessToken":"at-1"} {"accessToken":"at-2"}`, isInvalidJSON},
		{"string as number", `{"accessToken":12}`, isTypeError("string", "number")},
		{"number as string", `{"expiresIn":"3600"}`, isTypeError("integer", "string")},
		{"number with a fraction", `{"expiresIn":1.5}`, isTypeError("integer", "number with a fraction or exponent")},
		{"number with an exponent", `{"expiresIn":1e3}`, isTypeError("integer", "number with a fraction or exponent")},
		{"object as string", `{"accessToken":{"value":"at-1"}}`, isTypeError("string", "object")},
		{"boolean as string", `{"accessToken":true}`, isTypeError("string", "boolean")},
		{"array as document", `[{"accessToken":"at-1"}]`, isTypeError("object", "array")},
		{"string as document", `"at-1"`, isTypeError("object", "string")},
		{"expiresIn just above int32", `{"expiresIn":2147483648}`, isOutOfRange},
		{"expiresIn just below int32", `{"expiresIn":-2147483649}`, isOutOfRange},
		{"expiresIn beyond int64", `{"expiresIn":123456789012345678901234567890}`, isOutOfRange},
		{"expiresIn at the int32 bounds", `{"accessToken":"a","expiresIn":2147483647,"refreshToken":"r"}`, tokens("a", 2147483647, "r")},
		{"expiresIn at the int32 minimum", `{"expiresIn":-2147483648}`, tokens("", -2147483648, "")},
		{"null members", `{"accessToken":null,"expiresIn":null,"refreshToken":null}`, absent},
		{"null document", `null`, absent},
		{"empty body", ``, absent},
		{"blank body", " \r\n\t ", absent},
		{"empty object", `{}`, absent},
		{"duplicate keys: the last wins", `{"accessToken":"first","expiresIn":1,"accessToken":"second","expiresIn":2}`, tokens("second", 2, "")},
		{"duplicate key then null", `{"accessToken":"first","accessToken":null}`, absent},
		{"keys match case-sensitively", `{"AccessToken":"a","EXPIRESIN":1,"refreshtoken":"r"}`, absent},
		{"escaped key", `{"access\u0054oken":"a"}`, tokens("a", 0, "")},
		{"escaped value", `{"accessToken":"a\"b\\c\u00e9\ud83d\ude00"}`, tokens("a\"b\\cé😀", 0, "")},
		{"invalid UTF-8 becomes U+FFFD", "{\"accessToken\":\"a\xffb\"}", tokens("a\uFFFDb", 0, "")},
		{"unknown members of every type", `{"n":1.5e300,"s":"x","o":{"accessToken":"inner"},"a":[1,"2",{"x":null}],"b":false,"z":null,"accessToken":"a"}`, tokens("a", 0, "")},
		{"deep nesting within the JSON depth limit", deep(5000), tokens("at-1", 0, "")},
		{"deep nesting beyond the JSON depth limit", deep(100000), isInvalidJSON},
		{"deep nesting of objects", `{"accessToken":"at-1","x":` + strings.Repeat(`{"a":`, 100000) + `1` + strings.Repeat("}", 100000) + `}`, isInvalidJSON},
	}
}

// TestHostileTruncatedBody: the server promises more bytes than it sends and
// closes the connection. Reading stops with io.ErrUnexpectedEOF, which the
// aws-sdk-go-v2 retryer does not classify as retryable, so a 200 answer cut
// short is one attempt and a deserialization error; for ExchangeCodeForToken
// that is also the safe outcome, since the server has consumed the code.
func TestHostileTruncatedBody(t *testing.T) {
	eachLogMode(t, func(t *testing.T, optFns ...func(*Options)) {
		c, rec := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
			conn := hijack(t, w)
			_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"+
				"X-Amzn-Requestid: req-1234\r\nContent-Length: 200\r\n\r\n"+`{"accessToken":"at-1","exp`)
			require.NoError(t, conn.Close())
		}, optFns...)
		_, err := exchange(t, c, exchangeInput())
		requireDeserializationError(t, err, 200)
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
		assert.Len(t, rec.all(), 1)
	})
}

// TestHostileHTMLErrorPage: a proxy answers 500 with an HTML page. The client
// retries it like any 500 and, as the aws-sdk-go-v2 client does, ends with a
// deserialization error inside an *awshttp.ResponseError carrying the status:
// a body that is not JSON names no error code at all, so there is no API
// error to return. The page itself is not quoted in the error.
func TestHostileHTMLErrorPage(t *testing.T) {
	const page = "<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>"
	for _, status := range []int{500, 502} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			eachLogMode(t, func(t *testing.T, optFns ...func(*Options)) {
				c, rec := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
					w.Header().Set("Content-Type", "text/html")
					w.Header().Set("X-Amzn-Requestid", "req-1234")
					w.WriteHeader(status)
					_, _ = io.WriteString(w, page)
				}, optFns...)
				_, err := exchange(t, c, exchangeInput())
				requireDeserializationError(t, err, status)
				var maxAttempts *retry.MaxAttemptsError
				require.ErrorAs(t, err, &maxAttempts)
				assert.Equal(t, 3, maxAttempts.Attempt)
				assert.Len(t, rec.all(), 3)
				var apiErr smithy.APIError
				assert.False(t, errors.As(err, &apiErr), "an HTML page carries no error code")
				assert.NotContains(t, err.Error(), "Internal Server Error</h1>")
			})
		})
	}
}

// TestHostileErrorBodies: the error code in each of the places and forms the
// restJson1 protocol allows, and malformed error bodies. A 4xx answer is one
// attempt.
func TestHostileErrorBodies(t *testing.T) {
	isInvalidParameter := func(message string) func(*testing.T, error) {
		return func(t *testing.T, err error) {
			var ipe *types.InvalidParameterException
			require.ErrorAs(t, err, &ipe, "got %v", err)
			assert.Equal(t, message, ipe.ErrorMessage())
			assert.Equal(t, smithy.FaultClient, ipe.ErrorFault())
		}
	}
	isGeneric := func(code, message string) func(*testing.T, error) {
		return func(t *testing.T, err error) {
			var ipe *types.InvalidParameterException
			assert.False(t, errors.As(err, &ipe))
			var generic *smithy.GenericAPIError
			require.ErrorAs(t, err, &generic, "got %v", err)
			assert.Equal(t, code, generic.ErrorCode())
			assert.Equal(t, message, generic.ErrorMessage())
		}
	}
	isDeserialization := func(t *testing.T, err error) {
		var deser *smithy.DeserializationError
		require.ErrorAs(t, err, &deser, "got %v", err)
	}

	cases := []struct {
		name   string
		header string // X-Amzn-Errortype
		body   string
		check  func(*testing.T, error)
	}{
		{"header", "InvalidParameterException", `{"message":"bad code"}`, isInvalidParameter("bad code")},
		{"header with a URI suffix", "InvalidParameterException:http://internal.amazon.com/coral/com.amazonaws.amplifyuibuilder/", `{"message":"m"}`, isInvalidParameter("m")},
		{"header with a namespace", "com.amazonaws.amplifyuibuilder#InvalidParameterException", `{"message":"m"}`, isInvalidParameter("m")},
		{"body code", "", `{"code":"InvalidParameterException","message":"m"}`, isInvalidParameter("m")},
		{"body __type with a namespace", "", `{"__type":"com.amazonaws.amplifyuibuilder#InvalidParameterException","message":"m"}`, isInvalidParameter("m")},
		{"body __type with a namespace and a suffix", "", `{"__type":"aws.amplifyuibuilder#InvalidParameterException:http://internal.amazon.com/","Message":"m"}`, isInvalidParameter("m")},
		{"header wins over the body", "ResourceNotFoundException", `{"code":"InvalidParameterException","message":"m"}`, isGeneric("ResourceNotFoundException", "m")},
		{"code wins over __type", "", `{"__type":"ResourceNotFoundException","code":"InvalidParameterException","message":"m"}`, isInvalidParameter("m")},
		{"a code that is not a string fails the body, as in restjson.GetErrorInfo", "", `{"code":400,"__type":"InvalidParameterException","message":"m"}`, isDeserialization},
		{"member names match case-insensitively", "", `{"CODE":"InvalidParameterException","MESSAGE":"m"}`, isInvalidParameter("m")},
		{"__TYPE counts as __type", "", `{"__TYPE":"InvalidParameterException","Message":"m"}`, isInvalidParameter("m")},
		{"message wins over Message", "", `{"code":"SomeException","Message":"upper","message":"lower"}`, isGeneric("SomeException", "lower")},
		{"Message alone", "", `{"code":"SomeException","Message":"upper"}`, isGeneric("SomeException", "upper")},
		{"unknown code", "", `{"code":"BrandNewException","message":"m"}`, isGeneric("BrandNewException", "m")},
		{"nested __type does not count", "", `{"error":{"__type":"InvalidParameterException"},"message":"m"}`, isGeneric("UnknownError", "m")},
		{"no code at all", "", `{"message":"m"}`, isGeneric("UnknownError", "m")},
		{"no message", "", `{"code":"SomeException"}`, isGeneric("SomeException", "UnknownError")},
		{"null members", "", `{"code":null,"__type":null,"message":null}`, isGeneric("UnknownError", "UnknownError")},
		{"empty body", "", ``, isGeneric("UnknownError", "UnknownError")},
		{"null message of a modeled error", "InvalidParameterException", `{"message":null}`, isInvalidParameter("")},
		{"message of the wrong type", "", `{"code":"InvalidParameterException","message":5}`, isDeserialization},
		{"__type of the wrong type", "", `{"__type":["InvalidParameterException"]}`, isDeserialization},
		{"body that is not JSON", "InvalidParameterException", `Bad Request`, isDeserialization},
		{"error body nested too deep", "", `{"code":"X","n":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`, isDeserialization},
	}
	forEachOperation(t, func(t *testing.T, op tokenOperation) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				eachLogMode(t, func(t *testing.T, optFns ...func(*Options)) {
					c, rec := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
						if tc.header != "" {
							w.Header().Set("X-Amzn-Errortype", tc.header)
						}
						jsonResponse(w, 400, tc.body)
					}, optFns...)
					_, err := op.run(t, c)
					require.Error(t, err)
					var resp *awshttp.ResponseError
					require.ErrorAs(t, err, &resp)
					assert.Equal(t, 400, resp.HTTPStatusCode())
					assert.Equal(t, "req-1234", resp.ServiceRequestID())
					tc.check(t, err)
					assert.Len(t, rec.all(), 1, "a 400 answer is never retried")
				})
			})
		}
	})
}

// TestHostileThrottlingAndUnavailable: 429 and 503, with and without the
// standard Retry-After header, are retried up to the attempt limit. The
// aws-sdk-go-v2 retryer does not read Retry-After (seconds, or an HTTP date);
// it honours x-amz-retry-after (milliseconds), see
// TestRetryHonoursAmzRetryAfter.
func TestHostileThrottlingAndUnavailable(t *testing.T) {
	cases := []struct {
		name       string
		status     int
		retryAfter string
		body       string
		code       string
	}{
		{"429 throttling", 429, "", `{"__type":"ThrottlingException","message":"Rate exceeded"}`, "ThrottlingException"},
		{"429 throttling with Retry-After", 429, "3600", `{"__type":"ThrottlingException","message":"Rate exceeded"}`, "ThrottlingException"},
		{"429 without a code", 429, "", ``, "UnknownError"},
		{"429 without a code, with Retry-After as a date", 429, "Fri, 31 Dec 2100 23:59:59 GMT", ``, "UnknownError"},
		{"503 unavailable", 503, "", `{"message":"Service Unavailable"}`, "UnknownError"},
		{"503 unavailable with Retry-After", 503, "3600", `{"code":"ServiceUnavailableException","message":"Service Unavailable"}`, "ServiceUnavailableException"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			eachLogMode(t, func(t *testing.T, optFns ...func(*Options)) {
				c, rec := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
					if tc.retryAfter != "" {
						w.Header().Set("Retry-After", tc.retryAfter)
					}
					jsonResponse(w, tc.status, tc.body)
				}, optFns...)
				r := exchangeWithin(t, c, hangGuard)
				require.Error(t, r.err)
				var maxAttempts *retry.MaxAttemptsError
				require.ErrorAs(t, r.err, &maxAttempts, "got %v", r.err)
				assert.Equal(t, 3, maxAttempts.Attempt)
				assert.Len(t, rec.all(), 3)
				var resp *awshttp.ResponseError
				require.ErrorAs(t, r.err, &resp)
				assert.Equal(t, tc.status, resp.HTTPStatusCode())
				var apiErr smithy.APIError
				require.ErrorAs(t, r.err, &apiErr)
				assert.Equal(t, tc.code, apiErr.ErrorCode())
			})
		})
	}
}

// TestHostileConnectionBreaks: the connection breaks after the request,
// before any byte of the answer (a RST, or an orderly close) or after the
// headers and part of the body (a RST). Each is a connection error, retried:
// the call succeeds once the server answers, and fails with the connection
// error after the last attempt when it never does.
func TestHostileConnectionBreaks(t *testing.T) {
	partialAnswer := "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 64\r\n\r\n" + `{"accessToken":"at-`
	cases := []struct {
		name      string
		breakConn func(t *testing.T, conn net.Conn)
		check     func(t *testing.T, err error)
	}{
		{"RST before the answer", reset, isSendError},
		{"close before the answer", func(t *testing.T, conn net.Conn) { require.NoError(t, conn.Close()) }, isSendError},
		{"RST during the answer", func(t *testing.T, conn net.Conn) {
			_, _ = io.WriteString(conn, partialAnswer)
			reset(t, conn)
		}, func(t *testing.T, err error) {
			var deser *smithy.DeserializationError
			require.ErrorAs(t, err, &deser, "got %v", err)
			assert.ErrorContains(t, err, "connection reset")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			eachLogMode(t, func(t *testing.T, optFns ...func(*Options)) {
				t.Run("then an answer", func(t *testing.T) {
					c, rec := setup(t, func(w http.ResponseWriter, attempt int, req captured) {
						if attempt < 3 {
							tc.breakConn(t, hijack(t, w))
							return
						}
						okTokens(w, attempt, req)
					}, optFns...)
					out, err := exchange(t, c, exchangeInput())
					require.NoError(t, err)
					assert.Equal(t, "at-1", aws.ToString(out.AccessToken))
					assert.Len(t, rec.all(), 3)
				})
				t.Run("every time", func(t *testing.T) {
					c, rec := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
						tc.breakConn(t, hijack(t, w))
					}, optFns...)
					_, err := exchange(t, c, exchangeInput())
					tc.check(t, err)
					var maxAttempts *retry.MaxAttemptsError
					require.ErrorAs(t, err, &maxAttempts)
					assert.Len(t, rec.all(), 3)
				})
			})
		})
	}
}

func isSendError(t *testing.T, err error) {
	var sendErr *smithyhttp.RequestSendError
	require.ErrorAs(t, err, &sendErr, "got %v", err)
}

// TestHostileStallMidBody: the server sends the headers and part of the body,
// then nothing. The call ends at its context deadline, after one attempt.
func TestHostileStallMidBody(t *testing.T) {
	eachLogMode(t, func(t *testing.T, optFns ...func(*Options)) {
		c, rec := setup(t, func(w http.ResponseWriter, _ int, req captured) {
			w.Header().Set("Content-Length", "64")
			w.WriteHeader(200)
			_, _ = io.WriteString(w, `{"accessToken":"at-`)
			require.NoError(t, http.NewResponseController(w).Flush())
			<-req.Context.Done()
		}, optFns...)
		r := exchangeWithin(t, c, faultDeadline, optFns...)
		require.Error(t, r.err)
		assert.ErrorIs(t, r.err, context.DeadlineExceeded)
		var canceled *smithy.CanceledError
		assert.ErrorAs(t, r.err, &canceled)
		assert.Len(t, rec.all(), 1)
	})
}

// TestHostileNoAnswer: the server accepts the request and never answers. The
// call ends at its context deadline, after one attempt.
func TestHostileNoAnswer(t *testing.T) {
	eachLogMode(t, func(t *testing.T, optFns ...func(*Options)) {
		c, rec := setup(t, func(_ http.ResponseWriter, _ int, req captured) {
			<-req.Context.Done()
		}, optFns...)
		r := exchangeWithin(t, c, faultDeadline)
		require.Error(t, r.err)
		assert.ErrorIs(t, r.err, context.DeadlineExceeded)
		var canceled *smithy.CanceledError
		assert.ErrorAs(t, r.err, &canceled)
		assert.Len(t, rec.all(), 1)
	})
}
