package amplifyuibuildertest_test

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
	"github.com/uibuilder-go/amplifyuibuilder/internal/testkit"
)

func TestNewServerListensOnLoopback(t *testing.T) {
	srv := startServer(t)

	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	assert.Equal(t, "http", u.Scheme)
	assert.Equal(t, "127.0.0.1", u.Hostname())
	assert.NotEqual(t, "0", u.Port())
	assert.Equal(t, amplifyuibuildertest.DefaultRegion, srv.Region())
	creds := srv.Credentials()
	assert.NotEmpty(t, creds.AccessKeyID)
	assert.NotEmpty(t, creds.SecretAccessKey)
	assert.Empty(t, creds.SessionToken)
}

func TestServersAreIndependent(t *testing.T) {
	first, second := startServer(t), startServer(t)
	require.NotEqual(t, first.URL, second.URL)
	code := first.IssueCode(redirectURI)

	_, err := exchange(t, newClient(second), exchangeInput(code, redirectURI))

	requireAPIError(t, err, http.StatusBadRequest, "InvalidParameterException")
	assert.Empty(t, first.Requests())
}

func TestWithRegion(t *testing.T) {
	srv := startServer(t, amplifyuibuildertest.WithRegion("eu-central-1"))
	assert.Equal(t, "eu-central-1", srv.Region())

	_, err := exchange(t, newClient(srv), exchangeInput(srv.IssueCode(redirectURI), redirectURI))
	require.NoError(t, err)
	_, err = exchange(t, newClient(srv, inRegion("eu-west-1")), exchangeInput(srv.IssueCode(redirectURI), redirectURI))
	requireAPIError(t, err, http.StatusForbidden, "InvalidSignatureException")

	requests := srv.Requests()
	require.Len(t, requests, 2)
	assert.Equal(t, "eu-central-1", requests[0].Region)
	assert.Equal(t, "eu-west-1", requests[1].Region)
}

// TestEveryRegionByDefault: a client configured for its own region, pointed
// at the server, is served, and the record says which region it signed for.
func TestEveryRegionByDefault(t *testing.T) {
	srv := startServer(t)
	assert.Equal(t, amplifyuibuildertest.DefaultRegion, srv.Region())
	regions := []string{"eu-west-1", "ap-southeast-2", "us-gov-west-1", "cn-north-1", "us-east-1"}

	for _, region := range regions {
		_, err := exchange(t, newClient(srv, inRegion(region)), exchangeInput(srv.IssueCode(redirectURI), redirectURI))
		require.NoError(t, err, region)
	}

	var signedFor []string
	for _, r := range srv.Requests() {
		signedFor = append(signedFor, r.Region)
	}
	assert.Equal(t, regions, signedFor)
}

func inRegion(region string) func(*amplifyuibuilder.Options) {
	return func(o *amplifyuibuilder.Options) { o.Region = region }
}

func TestWithListener(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := startServer(t, amplifyuibuildertest.WithListener(l))

	assert.Equal(t, "http://"+l.Addr().String(), srv.URL)
	_, err = exchange(t, newClient(srv), exchangeInput(srv.IssueCode(redirectURI), redirectURI))
	require.NoError(t, err)

	srv.Close()
	_, err = net.DialTimeout("tcp", l.Addr().String(), time.Second)
	require.Error(t, err, "Close closes the listener")
}

func TestCloseTwice(t *testing.T) {
	srv := amplifyuibuildertest.NewServer()
	srv.Close()
	srv.Close()
}

func TestResponsesCarryRequestIDAndDate(t *testing.T) {
	fixed := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := startServer(t, amplifyuibuildertest.WithClock(func() time.Time { return fixed }))

	resp, err := http.Post(srv.URL+"/tokens/figma", "application/json", strings.NewReader(`{}`))
	require.NoError(t, err)
	defer resp.Body.Close()

	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Equal(t, "MissingAuthenticationTokenException", resp.Header.Get("X-Amzn-Errortype"))
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.Equal(t, "Wed, 02 Jan 2030 03:04:05 GMT", resp.Header.Get("Date"))
	requestID := resp.Header.Get("X-Amzn-Requestid")
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, requestID)
	assert.Equal(t, requestID, srv.Requests()[0].RequestID)
	assert.Empty(t, srv.Requests()[0].Region, "an unsigned request names no region")
}

func TestAccessTokenValidRejectsUnknownTokens(t *testing.T) {
	srv := startServer(t)
	assert.False(t, srv.AccessTokenValid(""))
	assert.False(t, srv.AccessTokenValid("access-made-up"))
}

func TestCredentialsOption(t *testing.T) {
	creds := aws.Credentials{AccessKeyID: "AKIDOTHER", SecretAccessKey: "other-secret"}
	srv := startServer(t, amplifyuibuildertest.WithCredentials(creds))
	assert.Equal(t, creds, srv.Credentials())

	_, err := exchange(t, newClient(srv), exchangeInput(srv.IssueCode(redirectURI), redirectURI))
	require.NoError(t, err)
}

func TestClientOptionsApplyAfterTheServers(t *testing.T) {
	srv := startServer(t, amplifyuibuildertest.WithRegion("us-east-1"))

	_, err := exchange(t, srv.Client(inRegion("ap-south-1")), exchangeInput(srv.IssueCode(redirectURI), redirectURI))

	requireAPIError(t, err, http.StatusForbidden, "InvalidSignatureException")
}

// TestClientBuiltByHand: code that builds its own client needs the URL, the
// region and the credentials.
func TestClientBuiltByHand(t *testing.T) {
	srv := startServer(t)
	client := amplifyuibuilder.New(amplifyuibuilder.Options{
		Region:       srv.Region(),
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.StaticCredentialsProvider{Value: srv.Credentials()},
	})

	_, err := exchange(t, client, exchangeInput(srv.IssueCode(redirectURI), redirectURI))

	require.NoError(t, err)
}

// TestRequestHook: the hook hears of every request once it is answered,
// dropped ones included, with what Requests says of it.
func TestRequestHook(t *testing.T) {
	fixed := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	heard := make(chan amplifyuibuildertest.Request, 10)
	srv := startServer(t, amplifyuibuildertest.WithClock(func() time.Time { return fixed }),
		amplifyuibuildertest.WithAutoApprove(),
		amplifyuibuildertest.WithRequestHook(func(r amplifyuibuildertest.Request) { heard <- r }))

	// Each request is heard before the next is sent: a dropped connection's
	// hook runs after the client has seen the drop, so sending on at once
	// would let the next request be heard first.
	var got []string
	hear := func() {
		t.Helper()
		r := receive(t, heard)
		assert.Equal(t, fixed, r.Time)
		assert.NotEmpty(t, r.RequestID)
		got = append(got, fmt.Sprintf("%s %s %s %d %s", r.Method, r.Path, r.Operation, r.Status, r.ErrorCode))
	}
	_, err := exchange(t, newClient(srv), exchangeInput(srv.IssueCode(redirectURI), redirectURI))
	require.NoError(t, err)
	hear()
	resp, _ := get(t, srv.AuthorizeURL()+"?"+authorizeQuery(nil))
	require.Equal(t, http.StatusFound, resp.StatusCode)
	hear()
	srv.DropNext(1)
	_, err = exchange(t, newClient(srv, func(o *amplifyuibuilder.Options) { o.RetryMaxAttempts = 1 }), exchangeInput("code-x", redirectURI))
	require.Error(t, err)
	hear()
	resp, err = http.Post(srv.URL+"/tokens/figma", "application/json", nil)
	require.NoError(t, err)
	resp.Body.Close()
	hear()
	assert.Equal(t, []string{
		"POST /tokens/figma ExchangeCodeForToken 200 ",
		"GET /oauth Authorize 302 ",
		"POST /tokens/figma ExchangeCodeForToken 0 ",
		"POST /tokens/figma ExchangeCodeForToken 403 MissingAuthenticationTokenException",
	}, got)
	recorded := srv.Requests()
	require.Len(t, recorded, 4)
	assert.Equal(t, http.StatusFound, recorded[1].Status)
	select {
	case r := <-heard:
		t.Fatalf("heard once more: %+v", r)
	default:
	}
}

// receive returns the next value from ch, failing the test if none comes
// within the hang guard.
func receive[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	return testkit.Receive(t, ch, hangGuard)
}
