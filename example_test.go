package amplifyuibuilder_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// newExampleService starts a stand-in for the service on loopback: it
// accepts the authorization code "code-from-figma" and the refresh token "r",
// and rejects anything else, as the service rejects a used or unknown code.
func newExampleService() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/tokens/figma" && strings.Contains(string(body), `"code":"code-from-figma"`) {
			fmt.Fprint(w, `{"accessToken":"a","expiresIn":3600,"refreshToken":"r"}`)
			return
		}
		if r.URL.Path == "/tokens/figma/refresh" && strings.Contains(string(body), `"token":"r"`) {
			fmt.Fprint(w, `{"accessToken":"a2","expiresIn":1800}`)
			return
		}
		w.Header().Set("X-Amzn-Errortype", "InvalidParameterException")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"message":"Invalid authorization code."}`)
	}))
}

// Exchange the authorization code Figma redirected the user back with for an
// access token and a refresh token. BaseEndpoint points the client at a
// local stand-in for the service; leave it out to reach the Region's endpoint.
func ExampleClient_ExchangeCodeForToken() {
	service := newExampleService()
	defer service.Close()

	client := amplifyuibuilder.New(amplifyuibuilder.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		BaseEndpoint: aws.String(service.URL),
	})

	out, err := client.ExchangeCodeForToken(context.Background(), &amplifyuibuilder.ExchangeCodeForTokenInput{
		Provider: types.TokenProvidersFigma,
		Request: &types.ExchangeCodeForTokenRequestBody{
			Code:        aws.String("code-from-figma"),
			RedirectUri: aws.String("https://app.example.com/figma/callback"),
		},
	})
	if err != nil {
		fmt.Println("exchange failed:", err)
		return
	}
	fmt.Println("access token expires in", time.Duration(aws.ToInt32(out.ExpiresIn))*time.Second)
	fmt.Println("got a refresh token:", out.RefreshToken != nil)
	// Output:
	// access token expires in 1h0m0s
	// got a refresh token: true
}

// An authorization code is single-use: the service answers a used, expired or
// unknown one with InvalidParameterException, which the client does not
// retry. The user must authorize again to get a new code. Here the client
// comes from an aws.Config, as config.LoadDefaultConfig returns one.
func ExampleClient_ExchangeCodeForToken_invalidParameter() {
	service := newExampleService()
	defer service.Close()

	client := amplifyuibuilder.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		BaseEndpoint: aws.String(service.URL),
	})

	used := &types.ExchangeCodeForTokenRequestBody{
		Code:        aws.String("already-used-code"),
		RedirectUri: aws.String("https://app.example.com/figma/callback"),
	}
	_, err := client.ExchangeCodeForToken(context.Background(),
		&amplifyuibuilder.ExchangeCodeForTokenInput{Provider: types.TokenProvidersFigma, Request: used})

	var invalid *types.InvalidParameterException
	if errors.As(err, &invalid) {
		fmt.Println(invalid.ErrorCode()+":", invalid.ErrorMessage())
		fmt.Println("ask the user to authorize again")
	}
	// Output:
	// InvalidParameterException: Invalid authorization code.
	// ask the user to authorize again
}

// Refresh the access token with the refresh token an exchange returned. The
// answer carries no new refresh token: keep using the one you have.
// (Package tokensource does this for you when the token nears its expiry.)
func ExampleClient_RefreshToken() {
	service := newExampleService()
	defer service.Close()

	client := amplifyuibuilder.New(amplifyuibuilder.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		BaseEndpoint: aws.String(service.URL),
	})

	out, err := client.RefreshToken(context.Background(), &amplifyuibuilder.RefreshTokenInput{
		Provider:         types.TokenProvidersFigma,
		RefreshTokenBody: &types.RefreshTokenRequestBody{Token: aws.String("r")},
	})
	if err != nil {
		fmt.Println("refresh failed:", err)
		return
	}
	fmt.Println("new access token expires in", time.Duration(aws.ToInt32(out.ExpiresIn))*time.Second)
	// Output:
	// new access token expires in 30m0s
}
