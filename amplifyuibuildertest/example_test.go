package amplifyuibuildertest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// A test takes the real client pointed at the server, issues a code, and
// exchanges it over HTTP with SigV4.
func ExampleNewServer() {
	srv := amplifyuibuildertest.NewServer()
	defer srv.Close()
	client := srv.Client()
	code := srv.IssueCode("https://example.com/callback")
	in := &amplifyuibuilder.ExchangeCodeForTokenInput{
		Provider: types.TokenProvidersFigma,
		Request: &types.ExchangeCodeForTokenRequestBody{
			Code:        aws.String(code),
			RedirectUri: aws.String("https://example.com/callback"),
		},
	}

	out, err := client.ExchangeCodeForToken(context.Background(), in)
	if err != nil {
		panic(err)
	}
	fmt.Println("expires in:", *out.ExpiresIn)
	fmt.Println("access token valid:", srv.AccessTokenValid(*out.AccessToken))

	_, err = client.ExchangeCodeForToken(context.Background(), in)
	var invalid *types.InvalidParameterException
	fmt.Println("second exchange rejected:", errors.As(err, &invalid))
	// Output:
	// expires in: 3600
	// access token valid: true
	// second exchange rejected: true
}

// Faults are scripted per request: here the first two answers are
// throttling errors, which the client retries.
func ExampleServer_FailNext() {
	srv := amplifyuibuildertest.NewServer()
	defer srv.Close()
	srv.FailNext(2, http.StatusTooManyRequests, "ThrottlingException")
	client := srv.Client(func(o *amplifyuibuilder.Options) {
		// Three attempts, with no backoff between them: a test need not wait.
		o.Retryer = retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 3
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		})
	})
	code := srv.IssueCode("https://example.com/callback")

	_, err := client.ExchangeCodeForToken(context.Background(), &amplifyuibuilder.ExchangeCodeForTokenInput{
		Provider: types.TokenProvidersFigma,
		Request: &types.ExchangeCodeForTokenRequestBody{
			Code:        aws.String(code),
			RedirectUri: aws.String("https://example.com/callback"),
		},
	})

	fmt.Println("error:", err)
	for _, r := range srv.Requests() {
		fmt.Println(r.Operation, r.Status, r.ErrorCode)
	}
	// Output:
	// error: <nil>
	// ExchangeCodeForToken 429 ThrottlingException
	// ExchangeCodeForToken 429 ThrottlingException
	// ExchangeCodeForToken 200
}

// The authorize endpoint stands in for https://www.figma.com/oauth: a web
// app sends its user there, and the redirect back to its callback brings a
// code to exchange. WithAutoApprove skips the consent page's Allow click.
func ExampleServer_AuthorizeURL() {
	srv := amplifyuibuildertest.NewServer(amplifyuibuildertest.WithAutoApprove())
	defer srv.Close()
	callback := "http://127.0.0.1:3000/callback"
	authorize := srv.AuthorizeURL() + "?" + url.Values{
		"client_id":     {"my-client"},
		"redirect_uri":  {callback},
		"scope":         {"files:read"},
		"state":         {"state-from-the-app"},
		"response_type": {"code"},
	}.Encode()

	// A browser that stops at the redirect, as a callback would receive it.
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := browser.Get(authorize)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	location, _ := url.Parse(resp.Header.Get("Location"))
	fmt.Println(resp.StatusCode, location.Host+location.Path, location.Query().Get("state"))

	_, err = srv.Client().ExchangeCodeForToken(context.Background(), &amplifyuibuilder.ExchangeCodeForTokenInput{
		Provider: types.TokenProvidersFigma,
		Request: &types.ExchangeCodeForTokenRequestBody{
			Code:        aws.String(location.Query().Get("code")),
			RedirectUri: aws.String(callback),
		},
	})
	fmt.Println("exchanged:", err == nil)
	// Output:
	// 302 127.0.0.1:3000/callback state-from-the-app
	// exchanged: true
}

// A test that moves a fake clock builds its own client with Signer, so that
// its requests are dated by the same clock as the server's checks.
func ExampleSigner() {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	srv := amplifyuibuildertest.NewServer(amplifyuibuildertest.WithClock(clock))
	defer srv.Close()
	client := amplifyuibuilder.New(amplifyuibuilder.Options{
		Region:       srv.Region(),
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.StaticCredentialsProvider{Value: srv.Credentials()},
		HTTPSignerV4: amplifyuibuildertest.Signer(clock),
	})

	_, err := client.ExchangeCodeForToken(context.Background(), &amplifyuibuilder.ExchangeCodeForTokenInput{
		Provider: types.TokenProvidersFigma,
		Request: &types.ExchangeCodeForTokenRequestBody{
			Code:        aws.String(srv.IssueCode("https://example.com/callback")),
			RedirectUri: aws.String("https://example.com/callback"),
		},
	})
	fmt.Println("error:", err)
	fmt.Println("signed at:", srv.Requests()[0].Header.Get("X-Amz-Date"))
	// Output:
	// error: <nil>
	// signed at: 20300101T000000Z
}
