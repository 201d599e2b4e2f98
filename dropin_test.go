package amplifyuibuilder_test

// This file uses the client only through its exported API, the way code
// written for github.com/aws/aws-sdk-go-v2/service/amplifyuibuilder uses
// that package: changing the two import paths below is all it takes to move
// such code here.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	smithy "github.com/aws/smithy-go"
	smithyendpoints "github.com/aws/smithy-go/endpoints"
	"github.com/aws/smithy-go/logging"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// The interfaces that application code fills with standard types.
var (
	_ amplifyuibuilder.HTTPClient         = &http.Client{}
	_ amplifyuibuilder.HTTPClient         = awshttp.NewBuildableClient()
	_ amplifyuibuilder.HTTPSignerV4       = v4.NewSigner()
	_ amplifyuibuilder.EndpointResolverV2 = amplifyuibuilder.NewDefaultEndpointResolverV2()
	_ smithy.APIError                     = &types.InvalidParameterException{}
)

// fakeFigmaService answers like the service: tokens for the one code it
// knows, InvalidParameterException for anything else. It records the
// User-Agent of each request.
type fakeFigmaService struct {
	mu         sync.Mutex
	userAgents []string
}

func (s *fakeFigmaService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.userAgents = append(s.userAgents, r.Header.Get("User-Agent"))
	s.mu.Unlock()

	var body struct {
		Code  *string `json:"code"`
		Token *string `json:"token"`
	}
	_ = json.NewDecoder(r.Body).Decode(&body)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Requestid", "fake-request-id")
	switch {
	case r.URL.Path == "/tokens/figma" && aws.ToString(body.Code) == "good-code":
		_, _ = fmt.Fprint(w, `{"accessToken":"figma-access","expiresIn":7200,"refreshToken":"figma-refresh"}`)
	case r.URL.Path == "/tokens/figma/refresh" && aws.ToString(body.Token) == "figma-refresh":
		_, _ = fmt.Fprint(w, `{"accessToken":"figma-access-2","expiresIn":7200}`)
	default:
		w.Header().Set("X-Amzn-Errortype", "InvalidParameterException")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprint(w, `{"message":"The authorization code is not valid."}`)
	}
}

// figmaAuth is the kind of wrapper an application writes around the client.
type figmaAuth struct {
	client      *amplifyuibuilder.Client
	redirectURI string
}

var errCodeRejected = errors.New("figma rejected the authorization code")

func (a *figmaAuth) exchange(ctx context.Context, provider, code string) (access, refresh string, expiry time.Time, err error) {
	known := false
	for _, p := range types.TokenProvidersFigma.Values() {
		known = known || string(p) == provider
	}
	if !known {
		return "", "", time.Time{}, fmt.Errorf("unsupported provider %q", provider)
	}

	out, err := a.client.ExchangeCodeForToken(ctx, &amplifyuibuilder.ExchangeCodeForTokenInput{
		Provider: types.TokenProviders(provider),
		Request: &types.ExchangeCodeForTokenRequestBody{
			Code:        aws.String(code),
			RedirectUri: aws.String(a.redirectURI),
		},
	})
	var invalid *types.InvalidParameterException
	if errors.As(err, &invalid) {
		return "", "", time.Time{}, fmt.Errorf("%w: %s", errCodeRejected, invalid.ErrorMessage())
	}
	if err != nil {
		return "", "", time.Time{}, err
	}
	expiry = time.Now().Add(time.Duration(aws.ToInt32(out.ExpiresIn)) * time.Second)
	return aws.ToString(out.AccessToken), aws.ToString(out.RefreshToken), expiry, nil
}

// stagingResolver is the usual EndpointResolverV2 override: it changes one
// parameter and lets the default rules do the rest.
type stagingResolver struct{ url string }

func (r stagingResolver) ResolveEndpoint(ctx context.Context, params amplifyuibuilder.EndpointParameters) (smithyendpoints.Endpoint, error) {
	params.Endpoint = aws.String(r.url)
	return amplifyuibuilder.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, params)
}

func newDropInClient(t *testing.T) (*amplifyuibuilder.Client, *fakeFigmaService) {
	t.Helper()
	service := &fakeFigmaService{}
	srv := httptest.NewServer(service)
	t.Cleanup(srv.Close)

	client := amplifyuibuilder.New(amplifyuibuilder.Options{
		Region:           "us-east-1",
		Credentials:      aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider("AKID", "SECRET", "SESSION")),
		RetryMaxAttempts: 2,
		RetryMode:        aws.RetryModeStandard,
		HTTPClient:       awshttp.NewBuildableClient().WithTimeout(30 * time.Second),
		Logger:           logging.Nop{},
		ClientLogMode:    aws.LogRetries,
		AppID:            "figma-sync",
	},
		amplifyuibuilder.WithAPIOptions(awsmiddleware.AddUserAgentKey("figma-sync-lib")),
		amplifyuibuilder.WithEndpointResolverV2(stagingResolver{url: srv.URL}),
	)
	return client, service
}

func TestDropInExchangeAndRefresh(t *testing.T) {
	client, service := newDropInClient(t)
	auth := &figmaAuth{client: client, redirectURI: "https://app.example.com/callback"}
	ctx := context.Background()

	access, refresh, expiry, err := auth.exchange(ctx, "figma", "good-code")
	require.NoError(t, err)
	assert.Equal(t, "figma-access", access)
	assert.Equal(t, "figma-refresh", refresh)
	assert.True(t, expiry.After(time.Now().Add(time.Hour)))

	out, err := client.RefreshToken(ctx, &amplifyuibuilder.RefreshTokenInput{
		Provider:         types.TokenProvidersFigma,
		RefreshTokenBody: &types.RefreshTokenRequestBody{Token: aws.String(refresh)},
	})
	require.NoError(t, err)
	assert.Equal(t, "figma-access-2", aws.ToString(out.AccessToken))
	requestID, ok := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
	assert.True(t, ok)
	assert.Equal(t, "fake-request-id", requestID)

	require.Len(t, service.userAgents, 2)
	for _, ua := range service.userAgents {
		fields := strings.Fields(ua)
		assert.Contains(t, fields, "figma-sync-lib")
		assert.Contains(t, fields, "app/figma-sync")
	}

	_, _, _, err = auth.exchange(ctx, "github", "good-code")
	assert.ErrorContains(t, err, `unsupported provider "github"`)
	assert.Len(t, service.userAgents, 2, "nothing sent for an unsupported provider")
}

func TestDropInErrorHandling(t *testing.T) {
	client, service := newDropInClient(t)
	auth := &figmaAuth{client: client, redirectURI: "https://app.example.com/callback"}

	_, _, _, err := auth.exchange(context.Background(), "figma", "used-code")
	require.ErrorIs(t, err, errCodeRejected)
	assert.ErrorContains(t, err, "The authorization code is not valid.")
	assert.Len(t, service.userAgents, 1, "a rejected code is not retried")

	// The same failure, examined the ways aws-sdk-go-v2 code does.
	_, err = client.ExchangeCodeForToken(context.Background(), &amplifyuibuilder.ExchangeCodeForTokenInput{
		Provider: types.TokenProvidersFigma,
		Request:  &types.ExchangeCodeForTokenRequestBody{Code: aws.String("used-code"), RedirectUri: aws.String("x")},
	})
	var apiErr smithy.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "InvalidParameterException", apiErr.ErrorCode())
	assert.Equal(t, "The authorization code is not valid.", apiErr.ErrorMessage())
	assert.Equal(t, smithy.FaultClient, apiErr.ErrorFault())

	var opErr *smithy.OperationError
	require.ErrorAs(t, err, &opErr)
	assert.Equal(t, "AmplifyUIBuilder", opErr.Service())
	assert.Equal(t, "ExchangeCodeForToken", opErr.Operation())

	var respErr *awshttp.ResponseError
	require.ErrorAs(t, err, &respErr)
	assert.Equal(t, http.StatusBadRequest, respErr.HTTPStatusCode())
	assert.Equal(t, "fake-request-id", respErr.ServiceRequestID())

	_, err = client.ExchangeCodeForToken(context.Background(), &amplifyuibuilder.ExchangeCodeForTokenInput{})
	var invalidParams smithy.InvalidParamsError
	require.ErrorAs(t, err, &invalidParams)
	assert.Len(t, invalidParams.Errs(), 2)
}

func TestDropInOptionsAreReadable(t *testing.T) {
	client, _ := newDropInClient(t)
	opts := client.Options()
	assert.Equal(t, "us-east-1", opts.Region)
	assert.Equal(t, 2, opts.RetryMaxAttempts)
	assert.Equal(t, "AmplifyUIBuilder", amplifyuibuilder.ServiceID)
	assert.Equal(t, "2021-08-11", amplifyuibuilder.ServiceAPIVersion)

	// A client made from another's options behaves the same.
	copied := amplifyuibuilder.New(opts)
	out, err := copied.ExchangeCodeForToken(context.Background(), &amplifyuibuilder.ExchangeCodeForTokenInput{
		Provider: types.TokenProvidersFigma,
		Request:  &types.ExchangeCodeForTokenRequestBody{Code: aws.String("good-code"), RedirectUri: aws.String("x")},
	})
	require.NoError(t, err)
	assert.Equal(t, "figma-access", aws.ToString(out.AccessToken))
}
