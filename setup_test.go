package amplifyuibuilder

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
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
}

// recorder collects the requests a test server receives.
type recorder struct {
	mu       sync.Mutex
	requests []captured
}

func (r *recorder) add(req *http.Request) captured {
	body, _ := io.ReadAll(req.Body)
	c := captured{Method: req.Method, RequestURI: req.RequestURI, Header: req.Header.Clone(), Body: body}
	c.Header.Set("Host", req.Host)
	r.mu.Lock()
	r.requests = append(r.requests, c)
	r.mu.Unlock()
	return c
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
		c := rec.add(r)
		respond(w, len(rec.all()), c)
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

func requireNoErr(t *testing.T, err error) {
	t.Helper()
	require.NoError(t, err)
}
