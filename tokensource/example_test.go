package tokensource_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"golang.org/x/oauth2"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
	"github.com/uibuilder-go/amplifyuibuilder/tokensource"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// A web app's OAuth callback receives an authorization code from Figma. A
// Source exchanges it on first use, keeps the access token fresh, and lends
// it to oauth2.NewClient to call Figma's API. Here a local endpoint stands in
// for AWS, and a small server for Figma's API.
func Example() {
	srv := amplifyuibuildertest.NewServer()
	defer srv.Close()
	const redirectURI = "https://app.example/callback"
	code := srv.IssueCode(redirectURI) // what Figma sends to the callback

	src := tokensource.FromCode(srv.Client(), types.TokenProvidersFigma, code, redirectURI)
	ctx := context.Background()
	token, err := src.Token(ctx) // exchanges the code
	if err != nil {
		panic(err)
	}
	fmt.Println("access token valid:", srv.AccessTokenValid(token))

	figmaAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bearer, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !srv.AccessTokenValid(bearer) {
			http.Error(w, "invalid token", http.StatusForbidden)
			return
		}
		fmt.Fprint(w, `{"handle":"figma-user"}`)
	}))
	defer figmaAPI.Close()
	resp, err := oauth2.NewClient(ctx, src.OAuth2(ctx)).Get(figmaAPI.URL + "/v1/me")
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.Status, string(body))

	// One exchange served both: the API call reused the access token.
	for _, r := range srv.Requests() {
		fmt.Println(r.Operation, r.Status)
	}
	// Output:
	// access token valid: true
	// 200 OK {"handle":"figma-user"}
	// ExchangeCodeForToken 200
}

// A Source built from a refresh token stored after an earlier exchange
// refreshes on first use.
func ExampleFromRefreshToken() {
	srv := amplifyuibuildertest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	exchanged, err := client.ExchangeCodeForToken(ctx, &amplifyuibuilder.ExchangeCodeForTokenInput{
		Provider: types.TokenProvidersFigma,
		Request: &types.ExchangeCodeForTokenRequestBody{
			Code:        aws.String(srv.IssueCode("https://app.example/callback")),
			RedirectUri: aws.String("https://app.example/callback"),
		},
	})
	if err != nil {
		panic(err)
	}
	stored := aws.ToString(exchanged.RefreshToken)

	src := tokensource.FromRefreshToken(client, types.TokenProvidersFigma, stored,
		tokensource.WithExpiryMargin(5*time.Minute))
	token, err := src.Token(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println("access token valid:", srv.AccessTokenValid(token))
	fmt.Println("a new access token:", token != aws.ToString(exchanged.AccessToken))
	for _, r := range srv.Requests() {
		fmt.Println(r.Operation, r.Status)
	}
	// Output:
	// access token valid: true
	// a new access token: true
	// ExchangeCodeForToken 200
	// RefreshToken 200
}

// A Source tells a hook of every new token, so that the app can store it,
// and FromTokens picks up from what was stored, after a restart, with no
// request while the stored access token is still valid.
func ExampleWithTokenHook() {
	srv := amplifyuibuildertest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	const redirectURI = "https://app.example/callback"

	var stored tokensource.Tokens // the app's database
	src := tokensource.FromCode(srv.Client(), types.TokenProvidersFigma, srv.IssueCode(redirectURI), redirectURI,
		tokensource.WithTokenHook(func(_ context.Context, tokens tokensource.Tokens) { stored = tokens }))
	if _, err := src.Token(ctx); err != nil {
		panic(err)
	}
	fmt.Printf("stored: %v\n", stored.RefreshToken != "" && !stored.Expiry.IsZero())
	fmt.Printf("prints redacted: %v\n", stored.AccessToken != "" && !strings.Contains(fmt.Sprint(stored), stored.AccessToken))

	// After a restart.
	restored := tokensource.FromTokens(srv.Client(), types.TokenProvidersFigma, stored)
	token, err := restored.Token(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println("the stored access token:", token == stored.AccessToken)
	for _, r := range srv.Requests() {
		fmt.Println(r.Operation, r.Status)
	}
	// Output:
	// stored: true
	// prints redacted: true
	// the stored access token: true
	// ExchangeCodeForToken 200
}
