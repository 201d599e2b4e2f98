package amplifyuibuilder

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	smithy "github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// Test credentials. They are distinctive so that a test can search output
// for them.
const (
	testAccessKeyID     = "AKIDTESTACCESSKEY"
	testSecretAccessKey = "testSecretAccessKey/abc123"
	testSessionToken    = "testSessionToken+xyz789"
	testRegion          = "us-west-2"
)

// captured is one request as the test server received it.
type captured struct {
	Method     string
	RequestURI string
	Header     http.Header
	Body       []byte

	// Context is the request's context on the server: it is done when the
	// client goes away, so that a handler can stall until then.
	Context context.Context
}

// recorder collects the requests a test server receives.
type recorder struct {
	mu       sync.Mutex
	requests []captured
}

// add records req and returns it with its place among the requests,
// counting from 1.
func (r *recorder) add(req *http.Request) (captured, int) {
	body, _ := io.ReadAll(req.Body)
	c := captured{Method: req.Method, RequestURI: req.RequestURI, Header: req.Header.Clone(), Body: body, Context: req.Context()}
	c.Header.Set("Host", req.Host)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = append(r.requests, c)
	return c, len(r.requests)
}

func (r *recorder) all() []captured {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]captured(nil), r.requests...)
}

// setup starts a loopback server that records every request and answers it
// with respond (attempt counts from 1), and a client pointed at it with
// static credentials and a retryer that does not wait.
func setup(t *testing.T, respond func(w http.ResponseWriter, attempt int, req captured), optFns ...func(*Options)) (*Client, *recorder) {
	t.Helper()
	rec := &recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, attempt := rec.add(r)
		respond(w, attempt, c)
	}))
	t.Cleanup(srv.Close)
	return newTestClient(srv.URL, optFns...), rec
}

func newTestClient(endpoint string, optFns ...func(*Options)) *Client {
	return New(Options{
		Region:       testRegion,
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(testAccessKeyID, testSecretAccessKey, testSessionToken),
		Retryer:      noWaitRetryer(3),
	}, optFns...)
}

// noWaitRetryer is the standard retryer without backoff or retry quota, so
// that tests never sleep.
func noWaitRetryer(maxAttempts int) aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		o.RateLimiter = ratelimit.None
	})
}

// jsonResponse writes a response with the given status, request id and body.
func jsonResponse(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Requestid", "req-1234")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// okTokens answers every request with a token response.
func okTokens(w http.ResponseWriter, _ int, _ captured) {
	jsonResponse(w, 200, `{"accessToken":"at-1","expiresIn":3600,"refreshToken":"rt-1"}`)
}

func exchangeInput() *ExchangeCodeForTokenInput {
	return &ExchangeCodeForTokenInput{
		Provider: types.TokenProvidersFigma,
		Request: &types.ExchangeCodeForTokenRequestBody{
			Code:        aws.String("code-123"),
			RedirectUri: aws.String("https://example.com/cb"),
			ClientId:    aws.String("client-1"),
		},
	}
}

func exchange(t *testing.T, c *Client, in *ExchangeCodeForTokenInput, optFns ...func(*Options)) (*ExchangeCodeForTokenOutput, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return c.ExchangeCodeForToken(ctx, in, optFns...)
}

func refreshInput() *RefreshTokenInput {
	return &RefreshTokenInput{
		Provider:         types.TokenProvidersFigma,
		RefreshTokenBody: &types.RefreshTokenRequestBody{Token: aws.String("rt-1"), ClientId: aws.String("client-1")},
	}
}

// tokenOperation is one of the two token operations, so that a table of
// cases runs against both: they share the whole stack but their inputs,
// outputs and names.
type tokenOperation struct {
	name string

	// call sends the operation with secret as its authorization code or
	// refresh token, and clientID as its client id.
	call func(ctx context.Context, c *Client, secret, clientID string, optFns ...func(*Options)) (*tokenResult, error)

	// loggedBody is the request body of run as the request log shows it.
	loggedBody string
}

// tokenResult is what both outputs carry. RefreshToken is nil for
// RefreshToken, whose output has no such member.
type tokenResult struct {
	AccessToken    *string
	ExpiresIn      *int32
	RefreshToken   *string
	ResultMetadata middleware.Metadata
}

var tokenOperations = []tokenOperation{
	{
		name: "ExchangeCodeForToken",
		call: func(ctx context.Context, c *Client, secret, clientID string, optFns ...func(*Options)) (*tokenResult, error) {
			in := exchangeInput()
			in.Request.Code, in.Request.ClientId = aws.String(secret), aws.String(clientID)
			out, err := c.ExchangeCodeForToken(ctx, in, optFns...)
			if err != nil {
				return nil, err
			}
			return &tokenResult{out.AccessToken, out.ExpiresIn, out.RefreshToken, out.ResultMetadata}, nil
		},
		loggedBody: `{"clientId":"[REDACTED]","code":"[REDACTED]","redirectUri":"https://example.com/cb"}`,
	},
	{
		name: "RefreshToken",
		call: func(ctx context.Context, c *Client, secret, clientID string, optFns ...func(*Options)) (*tokenResult, error) {
			in := refreshInput()
			in.RefreshTokenBody.Token, in.RefreshTokenBody.ClientId = aws.String(secret), aws.String(clientID)
			out, err := c.RefreshToken(ctx, in, optFns...)
			if err != nil {
				return nil, err
			}
			return &tokenResult{AccessToken: out.AccessToken, ExpiresIn: out.ExpiresIn, ResultMetadata: out.ResultMetadata}, nil
		},
		loggedBody: `{"clientId":"[REDACTED]","token":"[REDACTED]"}`,
	},
}

// run calls the operation with the inputs of exchangeInput and refreshInput,
// under a deadline that turns a hang into a failure.
func (op tokenOperation) run(t *testing.T, c *Client, optFns ...func(*Options)) (*tokenResult, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return op.call(ctx, c, op.defaultSecret(), "client-1", optFns...)
}

// defaultSecret is the code or refresh token run sends.
func (op tokenOperation) defaultSecret() string {
	if op.name == "RefreshToken" {
		return aws.ToString(refreshInput().RefreshTokenBody.Token)
	}
	return aws.ToString(exchangeInput().Request.Code)
}

// readsRefreshToken reports whether the operation's output has the
// response's refreshToken member; RefreshToken's has not, and ignores it.
func (op tokenOperation) readsRefreshToken() bool {
	return op.name != "RefreshToken"
}

// refreshTokenOf is what the operation's output holds of a response whose
// refreshToken member is want.
func (op tokenOperation) refreshTokenOf(want *string) *string {
	if !op.readsRefreshToken() {
		return nil
	}
	return want
}

// forEachOperation runs test as a subtest for each token operation.
func forEachOperation(t *testing.T, test func(t *testing.T, op tokenOperation)) {
	t.Helper()
	for _, op := range tokenOperations {
		t.Run(op.name, func(t *testing.T) { test(t, op) })
	}
}

// callInput calls the operation whose input in is, so that one table can
// hold inputs of both operations. A nil input of either type is passed on
// as nil.
func callInput(t *testing.T, c *Client, in any) (any, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	switch in := in.(type) {
	case *ExchangeCodeForTokenInput:
		return c.ExchangeCodeForToken(ctx, in)
	case *RefreshTokenInput:
		return c.RefreshToken(ctx, in)
	}
	t.Fatalf("%T is the input of no operation", in)
	return nil, nil
}

// operationOf names the operation whose input in is.
func operationOf(in any) string {
	if _, ok := in.(*RefreshTokenInput); ok {
		return "RefreshToken"
	}
	return "ExchangeCodeForToken"
}

// errorResponse writes an error response with the given status, extra
// headers and body, and the request id req-1234.
func errorResponse(w http.ResponseWriter, status int, header map[string]string, body string) {
	for k, v := range header {
		w.Header().Set(k, v)
	}
	jsonResponse(w, status, body)
}

// failThenOK answers the first failures requests with status (and the error
// code in X-Amzn-Errortype, when not empty), every later one with tokens.
func failThenOK(failures, status int, code string) func(http.ResponseWriter, int, captured) {
	return func(w http.ResponseWriter, attempt int, req captured) {
		if attempt > failures {
			okTokens(w, attempt, req)
			return
		}
		header := map[string]string{}
		if code != "" {
			header["X-Amzn-Errortype"] = code
		}
		errorResponse(w, status, header, `{"message":"try again"}`)
	}
}

// fakeHTTPClient is an HTTPClient that sends nothing: it records each request
// and answers it with a token response, so that endpoint tests can see where
// a request would go without any network.
type fakeHTTPClient struct {
	mu       sync.Mutex
	requests []*http.Request
}

func (f *fakeHTTPClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	f.mu.Lock()
	f.requests = append(f.requests, req)
	f.mu.Unlock()
	return &http.Response{
		StatusCode: http.StatusOK,
		Status:     "200 OK",
		Proto:      "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{
			"Content-Type":     {"application/json"},
			"X-Amzn-Requestid": {"req-fake"},
		},
		Body:    io.NopCloser(strings.NewReader(`{"accessToken":"at-1","expiresIn":3600,"refreshToken":"rt-1"}`)),
		Request: req,
	}, nil
}

func (f *fakeHTTPClient) all() []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*http.Request(nil), f.requests...)
}

// only returns the one request the client has sent, failing the test when
// it sent none or more than one.
func (f *fakeHTTPClient) only(t *testing.T) *http.Request {
	t.Helper()
	reqs := f.all()
	require.Len(t, reqs, 1)
	return reqs[0]
}

// newFakeNetworkClient returns a client in region with static credentials
// whose requests go to a fakeHTTPClient instead of the network.
func newFakeNetworkClient(region string, optFns ...func(*Options)) (*Client, *fakeHTTPClient) {
	fake := &fakeHTTPClient{}
	return New(Options{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider(testAccessKeyID, testSecretAccessKey, testSessionToken),
		Retryer:     noWaitRetryer(3),
		HTTPClient:  fake,
	}, optFns...), fake
}

// sigV4Authorization is a parsed SigV4 Authorization header.
type sigV4Authorization struct {
	AccessKeyID   string
	Date          string // yyyymmdd
	Region        string
	Service       string
	SignedHeaders []string
	Signature     string
}

var authorizationPattern = regexp.MustCompile(
	`^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$`)

func parseAuthorization(t *testing.T, value string) sigV4Authorization {
	t.Helper()
	m := authorizationPattern.FindStringSubmatch(value)
	require.NotNil(t, m, "not a SigV4 Authorization header: %q", value)
	return sigV4Authorization{
		AccessKeyID: m[1], Date: m[2], Region: m[3], Service: m[4],
		SignedHeaders: strings.Split(m[5], ";"), Signature: m[6],
	}
}

// requireOperationError checks that err is the *smithy.OperationError every
// failed call returns, for the named operation, and returns it.
func requireOperationError(t *testing.T, err error, operation string) *smithy.OperationError {
	t.Helper()
	require.Error(t, err)
	var opErr *smithy.OperationError
	require.ErrorAs(t, err, &opErr)
	assert.Equal(t, ServiceID, opErr.ServiceID)
	assert.Equal(t, operation, opErr.OperationName)
	return opErr
}

// requireResponseError checks that err carries the response's status code
// and request id, as an *awshttp.ResponseError, and returns it.
func requireResponseError(t *testing.T, err error, status int, requestID string) *awshttp.ResponseError {
	t.Helper()
	var respErr *awshttp.ResponseError
	require.ErrorAs(t, err, &respErr)
	assert.Equal(t, status, respErr.HTTPStatusCode())
	assert.Equal(t, requestID, respErr.ServiceRequestID())
	return respErr
}
