package amplifyuibuilder

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	smithy "github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/internal/jsonwire"
	"github.com/uibuilder-go/amplifyuibuilder/internal/redact"
	"github.com/uibuilder-go/amplifyuibuilder/slogadapter"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// Distinctive secret values for the sweep: none of them may appear in any
// text the client produces.
const (
	secretCode         = "SWEEP-authcode-7f3a9c1e"
	secretClientID     = "SWEEP-clientid-51d2e8b0"
	secretRefreshIn    = "SWEEP-refresh-in-c0ffee42"
	secretAccessOut    = "SWEEP-access-out-9b8a7d6c"
	secretRefreshOut   = "SWEEP-refresh-out-4e5f6a7b"
	secretAccessKeyID  = "AKIASWEEPKEYID012345"
	secretKey          = "SWEEP/secret+key=wJalrXUtnFEMI"
	secretSessionToken = "SWEEP+session/token==IQoJb3JpZ2luX2Vj"

	// The redirect URI is not a secret: it must stay visible.
	sweepRedirect = "https://app.example.com/figma/callback"
)

var sweepSecrets = []string{
	secretCode, secretClientID, secretRefreshIn, secretAccessOut, secretRefreshOut,
	secretAccessKeyID, secretKey, secretSessionToken,
}

// sweepLogModes are every combination of the log modes that make the client
// log something, and all of them at once with those that do not.
func sweepLogModes() []aws.ClientLogMode {
	flags := []aws.ClientLogMode{aws.LogSigning, aws.LogRetries, aws.LogRequest, aws.LogRequestWithBody, aws.LogResponse, aws.LogResponseWithBody}
	var modes []aws.ClientLogMode
	for set := 0; set < 1<<len(flags); set++ {
		var mode aws.ClientLogMode
		for i, flag := range flags {
			if set&(1<<i) != 0 {
				mode |= flag
			}
		}
		modes = append(modes, mode)
	}
	return append(modes, allLogModes)
}

// echoed is what an echo server (httpbin's /anything, a mock, a debugging
// proxy) sends back: the request's headers and its body, raw and parsed.
func echoed(req captured) string {
	headers := jsonwire.NewObjectWriter(nil)
	for _, name := range []string{"Authorization", "X-Amz-Security-Token", "Amz-Sdk-Invocation-Id"} {
		v := req.Header.Get(name)
		headers.String(name, &v)
	}
	data := string(req.Body)
	body := jsonwire.NewObjectWriter(nil)
	body.String("data", &data)
	return strings.TrimSuffix(string(body.Close()), "}") +
		`,"headers":` + string(headers.Close()) + `,"json":` + string(req.Body) + `}`
}

// echoHeaders copies the request's credentials into response headers, as
// some debugging proxies do.
func echoHeaders(w http.ResponseWriter, req captured) {
	w.Header().Set("X-Echo-Authorization", req.Header.Get("Authorization"))
	w.Header().Set("X-Echo-Security-Token", req.Header.Get("X-Amz-Security-Token"))
}

// sweepScenarios are server behaviours, from well-behaved to hostile echoes,
// each of which puts secrets in front of the client.
// check, when set, looks at the texts of one run for the marker where the
// scenario put a secret.
var sweepScenarios = []struct {
	name    string
	respond func(w http.ResponseWriter, attempt int, req captured)
	check   func(t *testing.T, mode aws.ClientLogMode, errs, lines []string)
}{
	{name: "tokens", respond: func(w http.ResponseWriter, _ int, _ captured) {
		jsonResponse(w, 200, `{"accessToken":"`+secretAccessOut+`","expiresIn":3600,"refreshToken":"`+secretRefreshOut+`"}`)
	}},
	{name: "tokens after retried failures", respond: func(w http.ResponseWriter, attempt int, req captured) {
		if attempt%3 != 0 {
			jsonResponse(w, 500, `{"message":"internal"}`)
			return
		}
		jsonResponse(w, 200, `{"accessToken":"`+secretAccessOut+`","expiresIn":3600,"refreshToken":"`+secretRefreshOut+`"}`)
	}},
	{name: "modeled error echoing the request's members", respond: func(w http.ResponseWriter, _ int, req captured) {
		jsonResponse(w, 400, `{"__type":"InvalidParameterException","message":"Invalid request","request":`+string(req.Body)+
			`,"accessToken":"`+secretAccessOut+`","refreshToken":"`+secretRefreshOut+`"}`)
	}},
	{name: "echo server", respond: func(w http.ResponseWriter, _ int, req captured) {
		echoHeaders(w, req)
		jsonResponse(w, 200, echoed(req))
	}},
	{name: "echo server answering 400", respond: func(w http.ResponseWriter, _ int, req captured) {
		echoHeaders(w, req)
		jsonResponse(w, 400, echoed(req))
	}},
	{name: "HTML page echoing the request", respond: func(w http.ResponseWriter, _ int, req captured) {
		echoHeaders(w, req)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(400)
		_, _ = w.Write([]byte("<html><body><pre>" + req.Header.Get("Authorization") + "\n" + string(req.Body) + "</pre></body></html>"))
	}, check: func(t *testing.T, mode aws.ClientLogMode, _, lines []string) {
		if mode.IsResponseWithBody() {
			assert.True(t, anyLineContains(lines, "bytes of non-JSON body not logged]"), "a body that is not JSON is not logged")
		}
	}},
	{name: "request body sent back as the error", respond: func(w http.ResponseWriter, _ int, req captured) {
		// The body's "code" member is the authorization code, which the
		// restJson1 rules read as the error code.
		jsonResponse(w, 400, string(req.Body))
	}, check: func(t *testing.T, _ aws.ClientLogMode, errs, _ []string) {
		assert.True(t, anyLineContains(errs, "api error "+redact.Marker+": UnknownError"), "the echoed code is the error code, redacted")
	}},
	{name: "error message quoting the canonical request", respond: func(w http.ResponseWriter, _ int, req captured) {
		w.Header().Set("X-Amzn-Errortype", "InvalidSignatureException")
		message := "The request signature we calculated does not match the signature you provided. " +
			"The Canonical String for this request should have been 'POST\n/tokens/figma\n\nx-amz-security-token:" +
			req.Header.Get("X-Amz-Security-Token") + "\n' and the key " + req.Header.Get("Authorization")
		body := jsonwire.NewObjectWriter(nil)
		body.String("message", &message)
		jsonResponse(w, 403, string(body.Close()))
	}, check: func(t *testing.T, _ aws.ClientLogMode, errs, _ []string) {
		assert.True(t, anyLineContains(errs, "x-amz-security-token:"+redact.Marker+"\n"), "the message keeps its text around the redacted token")
	}},
	{name: "secrets in headers the SDK logs", respond: func(w http.ResponseWriter, _ int, req captured) {
		// x-amz-retry-after and Date are read, and logged when they do not
		// parse, by aws-sdk-go-v2 middleware.
		var members map[string]string
		if err := json.Unmarshal(req.Body, &members); err != nil {
			panic(err)
		}
		echoHeaders(w, req)
		w.Header().Set("X-Amz-Retry-After", members["code"]+members["token"])
		w.Header().Set("Date", members["clientId"])
		w.Header().Set("X-Amzn-Errortype", "ThrottlingException")
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-Requestid", req.Header.Get("X-Amz-Security-Token"))
		w.WriteHeader(503)
		_, _ = w.Write([]byte(echoed(req)))
	}, check: func(t *testing.T, mode aws.ClientLogMode, errs, lines []string) {
		assert.True(t, anyLineContains(lines, "failed to parse response Date header value"), "aws-sdk-go-v2 logged the Date header")
		if mode.IsRetries() {
			assert.True(t, anyLineContains(lines, `ignoring invalid x-amz-retry-after header value "`+redact.Marker+`"`))
		}
		assert.True(t, anyLineContains(errs, "RequestID: "+redact.Marker), "the echoed request id is redacted")
	}},
}

// TestSecretsNeverLeak sweeps every place a secret could surface: fmt output
// of inputs, outputs and request bodies, every error and its messages, and
// every log line at every log mode, against each server behaviour, for both
// operations. It also checks that the logs show the marker where a secret
// was, so that it cannot pass by logging nothing.
func TestSecretsNeverLeak(t *testing.T) {
	for _, scenario := range sweepScenarios {
		t.Run(scenario.name, func(t *testing.T) {
			for _, mode := range sweepLogModes() {
				logger := &captureLogger{}
				c, rec := setup(t, scenario.respond, func(o *Options) {
					o.Credentials = credentials.NewStaticCredentialsProvider(secretAccessKeyID, secretKey, secretSessionToken)
					o.Logger = logger
					o.ClientLogMode = mode
				})
				var texts, errs []string
				for _, call := range sweepCalls {
					in, out, err := call(c)
					texts = append(texts, formatted(in)...)
					texts = append(texts, formatted(out)...)
					errs = append(errs, errorTexts(err)...)
				}
				lines := logger.all()
				texts = append(append(texts, errs...), lines...)

				requests := rec.all()
				require.NotEmpty(t, requests)
				require.Contains(t, string(requests[0].Body), `"`+secretClientID+`"`, "the secrets went out")

				for _, text := range texts {
					for _, secret := range sweepSecrets {
						require.NotContains(t, text, secret, "log mode %v", mode)
					}
				}
				checkMarkers(t, mode, lines)
				if scenario.check != nil {
					scenario.check(t, mode, errs, lines)
				}
			}
		})
	}
}

// sweepCalls run each operation with secret inputs and return the input, the
// output and the error.
var sweepCalls = []func(c *Client) (any, any, error){
	func(c *Client) (any, any, error) {
		in := &ExchangeCodeForTokenInput{
			Provider: types.TokenProvidersFigma,
			Request: &types.ExchangeCodeForTokenRequestBody{
				Code: aws.String(secretCode), ClientId: aws.String(secretClientID), RedirectUri: aws.String(sweepRedirect),
			},
		}
		out, err := c.ExchangeCodeForToken(context.Background(), in)
		return in, out, err
	},
	func(c *Client) (any, any, error) {
		in := &RefreshTokenInput{
			Provider:         types.TokenProvidersFigma,
			RefreshTokenBody: &types.RefreshTokenRequestBody{Token: aws.String(secretRefreshIn), ClientId: aws.String(secretClientID)},
		}
		out, err := c.RefreshToken(context.Background(), in)
		return in, out, err
	},
}

// formatted prints v, and its members that have their own Format, with
// every verb a caller might use.
func formatted(v any) []string {
	values := []any{v}
	switch v := v.(type) {
	case *ExchangeCodeForTokenInput:
		values = append(values, *v, v.Request, *v.Request)
	case *RefreshTokenInput:
		values = append(values, *v, v.RefreshTokenBody, *v.RefreshTokenBody)
	case *ExchangeCodeForTokenOutput:
		if v != nil {
			values = append(values, *v)
		}
	case *RefreshTokenOutput:
		if v != nil {
			values = append(values, *v)
		}
	}
	var texts []string
	for _, value := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			texts = append(texts, fmt.Sprintf(verb, value))
		}
	}
	return texts
}

// errorTexts prints err and every error in its chain, with their codes and
// messages.
func errorTexts(err error) []string {
	var texts []string
	for _, e := range chain(err) {
		texts = append(texts, e.Error(), fmt.Sprintf("%v", e), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e))
		var apiErr smithy.APIError
		if errors.As(e, &apiErr) {
			texts = append(texts, apiErr.ErrorCode(), apiErr.ErrorMessage())
		}
		var respErr *awshttp.ResponseError
		if errors.As(e, &respErr) {
			texts = append(texts, respErr.ServiceRequestID())
		}
	}
	return texts
}

// chain lists err and everything it wraps.
func chain(err error) []error {
	var all []error
	queue := []error{err}
	for len(queue) > 0 {
		e := queue[0]
		queue = queue[1:]
		if e == nil {
			continue
		}
		all = append(all, e)
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			queue = append(queue, u.Unwrap())
		case interface{ Unwrap() []error }:
			queue = append(queue, u.Unwrap()...)
		}
	}
	return all
}

// checkMarkers checks that what the log mode logs shows the marker where a
// secret was and keeps what is not secret.
func checkMarkers(t *testing.T, mode aws.ClientLogMode, lines []string) {
	t.Helper()
	if mode.IsRequestWithBody() {
		assert.True(t, anyLineContains(lines, `"code":"`+redact.Marker+`"`), "request body logged with the code redacted")
		assert.True(t, anyLineContains(lines, `"token":"`+redact.Marker+`"`), "request body logged with the token redacted")
		assert.True(t, anyLineContains(lines, `"redirectUri":"`+sweepRedirect+`"`), "the redirect URI stays visible")
	}
	if mode.IsRequest() || mode.IsRequestWithBody() {
		assert.True(t, anyLineContains(lines, "X-Amz-Security-Token: "+redact.Marker), "request headers logged with the session token redacted")
		assert.True(t, anyLineContains(lines, "Credential="+redact.Marker+"/"), "request headers logged with the access key id redacted")
	}
	if mode.IsSigning() {
		assert.True(t, anyLineContains(lines, "Request signed:"), "signing logged")
	}
	if mode.IsResponseWithBody() {
		var redacted bool
		for _, line := range lines {
			redacted = redacted || strings.Contains(line, "Response\n") && strings.Contains(line, redact.Marker)
		}
		assert.True(t, redacted, "response body logged with secrets redacted")
	}
	if mode&(aws.LogRequest|aws.LogRequestWithBody|aws.LogResponse|aws.LogResponseWithBody|aws.LogSigning) == 0 {
		for _, line := range lines {
			assert.NotContains(t, line, "Request\n", "a log mode without requests logged one")
		}
	}
}

// contextLogger is a context-aware logger: it logs the value a context
// carries with every line.
type contextLogger struct {
	*captureLogger
	tag string
}

type logTagKey struct{}

func (l contextLogger) WithContext(ctx context.Context) logging.Logger {
	tag, _ := ctx.Value(logTagKey{}).(string)
	return contextLogger{captureLogger: l.captureLogger, tag: tag}
}

func (l contextLogger) Logf(classification logging.Classification, format string, v ...any) {
	l.captureLogger.Logf(classification, "[%s] "+format, append([]any{l.tag}, v...)...)
}

// TestSecretsScrubbedLoggerKeepsContext: the scrubbing in front of the
// caller's logger still hands a context-aware logger the call's context.
func TestSecretsScrubbedLoggerKeepsContext(t *testing.T) {
	logger := &captureLogger{}
	c, _ := setup(t, func(w http.ResponseWriter, _ int, req captured) {
		echoHeaders(w, req)
		jsonResponse(w, 200, echoed(req))
	}, func(o *Options) {
		o.Credentials = credentials.NewStaticCredentialsProvider(secretAccessKeyID, secretKey, secretSessionToken)
		o.Logger = contextLogger{captureLogger: logger}
		o.ClientLogMode = aws.LogResponseWithBody
	})
	ctx := context.WithValue(context.Background(), logTagKey{}, "trace-42")
	_, err := c.ExchangeCodeForToken(ctx, exchangeInput())
	require.NoError(t, err)
	lines := logger.all()
	require.NotEmpty(t, lines)
	for _, line := range lines {
		assert.Contains(t, line, "[trace-42]")
		assert.NotContains(t, line, secretSessionToken)
		assert.NotContains(t, line, secretAccessKeyID)
	}
	assert.True(t, anyLineContains(lines, "X-Echo-Security-Token: "+redact.Marker))
}

// TestSecretsNeverLeakThroughSlog: the slog adapter takes the request id
// from the call, not from a line's text, and puts it in an attribute: an
// echoed secret there is scrubbed too.
func TestSecretsNeverLeakThroughSlog(t *testing.T) {
	var out bytes.Buffer
	handler := slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug})
	c, _ := setup(t, func(w http.ResponseWriter, _ int, req captured) {
		echoHeaders(w, req)
		w.Header().Set("X-Amzn-Requestid", req.Header.Get("X-Amz-Security-Token"))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		_, _ = w.Write([]byte(echoed(req)))
	}, func(o *Options) {
		o.Credentials = credentials.NewStaticCredentialsProvider(secretAccessKeyID, secretKey, secretSessionToken)
		o.Logger = slogadapter.New(slog.New(handler))
		o.ClientLogMode = allLogModes
	})
	_, err := c.ExchangeCodeForToken(context.Background(), &ExchangeCodeForTokenInput{
		Provider: types.TokenProvidersFigma,
		Request:  &types.ExchangeCodeForTokenRequestBody{Code: aws.String(secretCode), ClientId: aws.String(secretClientID), RedirectUri: aws.String(sweepRedirect)},
	})
	require.Error(t, err)
	logged := out.String()
	for _, secret := range sweepSecrets {
		assert.NotContains(t, logged, secret)
	}
	assert.Contains(t, logged, `"aws.request_id":"`+redact.Marker+`"`)
	assert.Contains(t, logged, `"aws.operation":"ExchangeCodeForToken"`)
}

// TestSecretsQueryStringRedactedInLogs: the token operations put nothing in
// the query string, but a stack function may (a presigning-style token, a
// debug flag): the request log line shows that there is a query, not what it
// says.
func TestSecretsQueryStringRedactedInLogs(t *testing.T) {
	addQuery := func(stack *middleware.Stack) error {
		return stack.Build.Add(middleware.BuildMiddlewareFunc("AddQuery", func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (
			middleware.BuildOutput, middleware.Metadata, error,
		) {
			in.Request.(*smithyhttp.Request).URL.RawQuery = "sig=abc"
			return next.HandleBuild(ctx, in)
		}), middleware.After)
	}
	logger := &captureLogger{}
	c, rec := setup(t, okTokens, withLogging(logger), WithAPIOptions(addQuery))
	_, err := exchange(t, c, exchangeInput())
	require.NoError(t, err)
	require.Equal(t, "/tokens/figma?sig=abc", rec.all()[0].RequestURI, "the query went out")
	assert.True(t, anyLineContains(logger.all(), "POST /tokens/figma?"+redact.Marker+" HTTP/1.1"))
	for _, line := range logger.all() {
		assert.NotContains(t, line, "sig=abc")
	}
}

// TestSecretsEchoedInTheClientsOwnEscaping: a secret that JSON escapes (a
// quote) and that encoding/json would escape further ('<', '>') goes out
// escaped the client's way, which is neither the value as it is nor
// encoding/json's form. A server that quotes the raw request body in its
// error message must not get it into the error all the same.
func TestSecretsEchoedInTheClientsOwnEscaping(t *testing.T) {
	const clientID = `client"<id>-1234`
	const onTheWire = `client\"<id>-1234`
	c, rec := setup(t, func(w http.ResponseWriter, _ int, req captured) {
		message := "cannot parse " + string(req.Body)
		body := jsonwire.NewObjectWriter(nil)
		body.String("message", &message)
		jsonResponse(w, 400, string(body.Close()))
	})
	in := exchangeInput()
	in.Request.ClientId = aws.String(clientID)
	_, err := exchange(t, c, in)
	require.Error(t, err)
	require.Contains(t, string(rec.all()[0].Body), `"clientId":"`+onTheWire+`"`, "the secret went out in the client's escaping")

	texts := errorTexts(err)
	for _, text := range texts {
		assert.NotContains(t, text, onTheWire)
		assert.NotContains(t, text, clientID)
	}
	assert.True(t, anyLineContains(texts, `cannot parse {"clientId":"`+redact.Marker+`"`), "the message keeps its text around the redacted value")
}

// TestCredentialHeadersRedactedByPosition holds the header-redaction layer on
// its own: credentials shorter than redact.MinScrubLength, which the value
// scrubber leaves alone, so that only redaction by header name can keep them
// out of the request and signing log lines.
func TestCredentialHeadersRedactedByPosition(t *testing.T) {
	const accessKeyID, sessionToken = "AKQ7x2Z", "Tk7#q9Z"
	require.Less(t, len(sessionToken), redact.MinScrubLength)
	require.Less(t, len(accessKeyID), redact.MinScrubLength)
	logger := &captureLogger{}
	c, rec := setup(t, okTokens, func(o *Options) {
		o.Credentials = credentials.NewStaticCredentialsProvider(accessKeyID, secretKey, sessionToken)
		o.Logger = logger
		o.ClientLogMode = aws.LogRequest | aws.LogSigning
	})
	_, err := exchange(t, c, exchangeInput())
	require.NoError(t, err)
	require.Equal(t, sessionToken, rec.all()[0].Header.Get("X-Amz-Security-Token"), "the token went out")

	lines := logger.all()
	assert.True(t, anyLineContains(lines, "\r\nX-Amz-Security-Token: "+redact.Marker+"\r\n"), "the request line shows the header, redacted")
	assert.True(t, anyLineContains(lines, "X-Amz-Security-Token="+redact.Marker), "the signing line says a token was sent")
	assert.True(t, anyLineContains(lines, "Credential="+redact.Marker+"/"), "the access key id redacted in Authorization")
	for _, line := range lines {
		assert.NotContains(t, line, sessionToken)
		assert.NotContains(t, line, accessKeyID)
	}
}
