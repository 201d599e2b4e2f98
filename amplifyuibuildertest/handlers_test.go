package amplifyuibuildertest_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

func TestExchangeCodeForToken(t *testing.T) {
	srv := startServer(t, amplifyuibuildertest.WithAccessTokenLifetime(90*time.Minute))
	client := newClient(srv)
	code := srv.IssueCode(redirectURI)
	in := exchangeInput(code, redirectURI)
	in.Request.ClientId = aws.String("client-1")

	out, err := exchange(t, client, in)

	require.NoError(t, err)
	assert.Equal(t, int32(5400), aws.ToInt32(out.ExpiresIn))
	assert.NotEmpty(t, aws.ToString(out.AccessToken))
	assert.NotEmpty(t, aws.ToString(out.RefreshToken))
	assert.NotEqual(t, aws.ToString(out.AccessToken), aws.ToString(out.RefreshToken))
	assert.True(t, srv.AccessTokenValid(aws.ToString(out.AccessToken)))
	assert.False(t, srv.AccessTokenValid(aws.ToString(out.RefreshToken)), "a refresh token is no access token")

	requests := srv.Requests()
	require.Len(t, requests, 1)
	got := requests[0]
	assert.Equal(t, amplifyuibuildertest.OperationExchangeCodeForToken, got.Operation)
	assert.Equal(t, "figma", got.Provider)
	assert.Equal(t, http.MethodPost, got.Method)
	assert.Equal(t, "/tokens/figma", got.Path)
	assert.JSONEq(t, fmt.Sprintf(`{"clientId":"client-1","code":%q,"redirectUri":%q}`, code, redirectURI), string(got.Body))
	assert.Equal(t, http.StatusOK, got.Status)
	assert.Empty(t, got.ErrorCode)
	requestID, _ := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
	assert.Equal(t, requestID, got.RequestID)
	assert.Contains(t, got.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential="+srv.Credentials().AccessKeyID+"/")
}

func TestEveryExchangeIssuesNewTokens(t *testing.T) {
	srv := startServer(t)
	client := newClient(srv)
	seen := map[string]bool{}
	for range 3 {
		out, err := exchange(t, client, exchangeInput(srv.IssueCode(redirectURI), redirectURI))
		require.NoError(t, err)
		for _, token := range []string{aws.ToString(out.AccessToken), aws.ToString(out.RefreshToken)} {
			require.False(t, seen[token], "token issued twice")
			seen[token] = true
		}
	}
}

func TestCodeIsSingleUse(t *testing.T) {
	srv := startServer(t)
	client := newClient(srv)
	code := srv.IssueCode(redirectURI)
	_, err := exchange(t, client, exchangeInput(code, redirectURI))
	require.NoError(t, err)

	_, err = exchange(t, client, exchangeInput(code, redirectURI))

	var invalid *types.InvalidParameterException
	require.ErrorAs(t, err, &invalid)
	assert.Equal(t, "The authorization code is not valid: it is unknown or has already been used.", invalid.ErrorMessage())
	require.Len(t, srv.Requests(), 2, "a 400 is not retried")
}

// TestCodeSpentByConcurrentExchanges: of many requests racing with one code,
// exactly one gets tokens.
func TestCodeSpentByConcurrentExchanges(t *testing.T) {
	srv := startServer(t)
	client := newClient(srv)
	code := srv.IssueCode(redirectURI)

	var wg sync.WaitGroup
	var succeeded, rejected atomic.Int32
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := exchange(t, client, exchangeInput(code, redirectURI))
			var invalid *types.InvalidParameterException
			switch {
			case err == nil:
				succeeded.Add(1)
			case assert.ErrorAs(t, err, &invalid):
				rejected.Add(1)
			}
		}()
	}
	wg.Wait()

	assert.Equal(t, int32(1), succeeded.Load())
	assert.Equal(t, int32(7), rejected.Load())
}

func TestRedirectURIMustMatch(t *testing.T) {
	srv := startServer(t)
	client := newClient(srv)
	code := srv.IssueCode(redirectURI)

	_, err := exchange(t, client, exchangeInput(code, redirectURI+"/other"))

	message := requireAPIError(t, err, http.StatusBadRequest, "InvalidParameterException")
	assert.Equal(t, "The redirectUri does not match the redirect URI the authorization code was issued for.", message)
	requireNoSecret(t, message, code)

	// The failed attempt spent the code.
	_, err = exchange(t, client, exchangeInput(code, redirectURI))
	message = requireAPIError(t, err, http.StatusBadRequest, "InvalidParameterException")
	assert.Contains(t, message, "already been used")
}

// TestInvalidExchangeRequests sends, through the real client, each kind of
// request the service rejects with 400 InvalidParameterException. Requests
// the client itself would refuse to send (a missing member) get their body
// replaced before signing, so the server sees them well signed.
func TestInvalidExchangeRequests(t *testing.T) {
	tests := []struct {
		name     string
		provider types.TokenProviders
		body     string // replaces the serialized body when set; CODE stands for the issued code
		code     *string
		message  string
	}{
		{name: "unknown code", code: aws.String("code-never-issued"), message: "The authorization code is not valid: it is unknown or has already been used."},
		{name: "unknown provider", provider: "github", message: `Unsupported token provider "github": the only supported provider is figma.`},
		{name: "blank code", code: aws.String("  "), message: "Member code must not be blank."},
		{name: "missing code", body: `{"redirectUri":"https://example.com/callback"}`, message: "Missing required member: code."},
		{name: "missing redirectUri", body: `{"code":"CODE"}`, message: "Missing required member: redirectUri."},
		{name: "null code", body: `{"code":null,"redirectUri":"https://example.com/callback"}`, message: "Missing required member: code."},
		{name: "blank redirectUri", body: `{"code":"CODE","redirectUri":""}`, message: "Member redirectUri must not be blank."},
		{name: "blank clientId", body: `{"clientId":"","code":"CODE","redirectUri":"https://example.com/callback"}`, message: "Member clientId must not be blank."},
		{name: "code not a string", body: `{"code":42,"redirectUri":"https://example.com/callback"}`, message: "Member code must be a string."},
		{name: "malformed JSON", body: `{"code":"CODE",`, message: "The request body must be a JSON object."},
		{name: "JSON array", body: `["CODE"]`, message: "The request body must be a JSON object."},
		{name: "JSON null", body: `null`, message: "The request body must be a JSON object."},
		{name: "empty body", body: ` `, message: "The request body must be a JSON object."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t)
			code := srv.IssueCode(redirectURI)
			in := exchangeInput(code, redirectURI)
			if tt.provider != "" {
				in.Provider = tt.provider
			}
			if tt.code != nil {
				in.Request.Code = tt.code
			}
			var opts []func(*amplifyuibuilder.Options)
			if tt.body != "" {
				opts = append(opts, beforeSigning(withBody(replaceCode(tt.body, code))))
			}

			_, err := exchange(t, newClient(srv, opts...), in)

			var invalid *types.InvalidParameterException
			require.ErrorAs(t, err, &invalid)
			message := requireAPIError(t, err, http.StatusBadRequest, "InvalidParameterException")
			assert.Equal(t, tt.message, message)
			requireNoSecret(t, message, code, srv.Credentials().SecretAccessKey)
		})
	}
}

// replaceCode puts the code, as a JSON string, where body says "CODE".
func replaceCode(body, code string) string {
	quoted, _ := json.Marshal(code)
	return strings.ReplaceAll(body, `"CODE"`, string(quoted))
}

func TestEscapedProviderLabel(t *testing.T) {
	srv := startServer(t)
	in := exchangeInput(srv.IssueCode(redirectURI), redirectURI)
	in.Provider = "fi gma/../x?y#z"

	_, err := exchange(t, newClient(srv), in)

	// The signature over the escaped path checks out; the provider does not.
	message := requireAPIError(t, err, http.StatusBadRequest, "InvalidParameterException")
	assert.Contains(t, message, `"fi gma/../x?y#z"`)
	got := srv.Requests()[0]
	assert.Equal(t, "/tokens/fi%20gma%2F..%2Fx%3Fy%23z", got.Path)
	assert.Equal(t, "fi gma/../x?y#z", got.Provider)
	assert.Equal(t, amplifyuibuildertest.OperationExchangeCodeForToken, got.Operation)
}

func TestUnknownOperation(t *testing.T) {
	srv := startServer(t)
	client := newClient(srv, beforeSigning(func(req *smithyhttp.Request) *smithyhttp.Request {
		req.URL.Path += "/revoke"
		return req
	}))

	_, err := exchange(t, client, exchangeInput(srv.IssueCode(redirectURI), redirectURI))

	message := requireAPIError(t, err, http.StatusNotFound, "UnknownOperationException")
	assert.Equal(t, "No operation matches POST /tokens/figma/revoke.", message)
	assert.Empty(t, srv.Requests()[0].Operation)
}

func TestBodyMustBeDeclaredJSON(t *testing.T) {
	srv := startServer(t)
	client := newClient(srv, beforeSigning(setHeader("Content-Type", "text/plain")))

	_, err := exchange(t, client, exchangeInput(srv.IssueCode(redirectURI), redirectURI))

	requireAPIError(t, err, http.StatusUnsupportedMediaType, "UnsupportedMediaTypeException")
}

func TestBodyTooLarge(t *testing.T) {
	srv := startServer(t)
	huge := fmt.Sprintf(`{"code":"c","redirectUri":"%0100000d"}`, 0)
	client := newClient(srv, beforeSigning(withBody(huge)))

	_, err := exchange(t, client, exchangeInput(srv.IssueCode(redirectURI), redirectURI))

	message := requireAPIError(t, err, http.StatusBadRequest, "InvalidParameterException")
	assert.Equal(t, "The request body is larger than 65536 bytes.", message)
}

func TestRefreshToken(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	var clock atomic.Pointer[time.Time]
	clock.Store(&now)
	srv := startServer(t,
		amplifyuibuildertest.WithClock(func() time.Time { return *clock.Load() }),
		amplifyuibuildertest.WithAccessTokenLifetime(time.Minute))
	// The server's clock is fixed in the past: the client corrects its skew.
	client := newClient(srv)
	issued, err := exchange(t, client, exchangeInput(srv.IssueCode(redirectURI), redirectURI))
	require.NoError(t, err)
	accessToken, refreshToken := aws.ToString(issued.AccessToken), aws.ToString(issued.RefreshToken)
	require.True(t, srv.AccessTokenValid(accessToken))

	later := now.Add(61 * time.Second)
	clock.Store(&later)
	assert.False(t, srv.AccessTokenValid(accessToken), "expired by the server's clock")

	out, err := refresh(t, client, refreshToken)
	require.NoError(t, err)
	assert.Equal(t, int32(60), aws.ToInt32(out.ExpiresIn))
	fresh := aws.ToString(out.AccessToken)
	assert.NotEqual(t, accessToken, fresh)
	assert.True(t, srv.AccessTokenValid(fresh))

	again, err := refresh(t, client, refreshToken)
	require.NoError(t, err, "the refresh token stays valid")
	assert.NotEqual(t, fresh, aws.ToString(again.AccessToken))

	last := srv.Requests()[len(srv.Requests())-1]
	assert.Equal(t, amplifyuibuildertest.OperationRefreshToken, last.Operation)
	assert.Equal(t, "/tokens/figma/refresh", last.Path)
	assert.JSONEq(t, fmt.Sprintf(`{"token":%q}`, refreshToken), string(last.Body))
	assert.NotContains(t, string(last.Body), "refreshToken")
}

func TestRefreshTokenResponseHasNoRefreshToken(t *testing.T) {
	srv := startServer(t)
	client := newClient(srv)
	issued, err := exchange(t, client, exchangeInput(srv.IssueCode(redirectURI), redirectURI))
	require.NoError(t, err)

	// Read the raw answer: the client's output has no RefreshToken field.
	var raw map[string]any
	_, err = refresh(t, newClient(srv, rawBodyInto(&raw)), aws.ToString(issued.RefreshToken))
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"accessToken", "expiresIn"}, slices.Collect(maps.Keys(raw)))
}

func TestInvalidRefreshRequests(t *testing.T) {
	srv := startServer(t)
	client := newClient(srv)
	issued, err := exchange(t, client, exchangeInput(srv.IssueCode(redirectURI), redirectURI))
	require.NoError(t, err)

	for _, tt := range []struct {
		name, token, message string
	}{
		{"never issued", "refresh-made-up", "The refresh token is not valid: this endpoint did not issue it."},
		{"an access token", aws.ToString(issued.AccessToken), "The refresh token is not valid: this endpoint did not issue it."},
		{"an authorization code", srv.IssueCode(redirectURI), "The refresh token is not valid: this endpoint did not issue it."},
		{"blank", "", "Member token must not be blank."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := refresh(t, client, tt.token)

			message := requireAPIError(t, err, http.StatusBadRequest, "InvalidParameterException")
			assert.Equal(t, tt.message, message)
			requireNoSecret(t, message, aws.ToString(issued.AccessToken), aws.ToString(issued.RefreshToken))
		})
	}

	t.Run("missing token", func(t *testing.T) {
		_, err := refresh(t, newClient(srv, beforeSigning(withBody(`{"clientId":"c"}`))), "placeholder")
		message := requireAPIError(t, err, http.StatusBadRequest, "InvalidParameterException")
		assert.Equal(t, "Missing required member: token.", message)
	})
	t.Run("other provider", func(t *testing.T) {
		_, err := client.RefreshToken(t.Context(), &amplifyuibuilder.RefreshTokenInput{
			Provider:         "github",
			RefreshTokenBody: &types.RefreshTokenRequestBody{Token: issued.RefreshToken},
		})
		requireAPIError(t, err, http.StatusBadRequest, "InvalidParameterException")
	})
}

func TestRequestsAreCopies(t *testing.T) {
	srv := startServer(t)
	_, err := exchange(t, newClient(srv), exchangeInput(srv.IssueCode(redirectURI), redirectURI))
	require.NoError(t, err)

	first := srv.Requests()
	first[0].Body[0] = 'X'
	first[0].Header.Set("Authorization", "changed")
	first[0].Status = 0

	second := srv.Requests()
	assert.Equal(t, byte('{'), second[0].Body[0])
	assert.NotEqual(t, "changed", second[0].Header.Get("Authorization"))
	assert.Equal(t, http.StatusOK, second[0].Status)
}

func TestConcurrentExchanges(t *testing.T) {
	srv := startServer(t)
	client := newClient(srv)
	const n = 16
	tokens := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := exchange(t, client, exchangeInput(srv.IssueCode(redirectURI), redirectURI))
			if assert.NoError(t, err) {
				tokens[i] = aws.ToString(out.AccessToken)
			}
		}()
	}
	wg.Wait()

	unique := map[string]bool{}
	for _, token := range tokens {
		unique[token] = true
	}
	assert.Len(t, unique, n)
	assert.Len(t, srv.Requests(), n)
}
