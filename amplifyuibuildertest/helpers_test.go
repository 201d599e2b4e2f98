package amplifyuibuildertest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	smithy "github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

const redirectURI = "https://example.com/callback"

// startServer starts a server that the test closes when it ends.
func startServer(t *testing.T, opts ...amplifyuibuildertest.Option) *amplifyuibuildertest.Server {
	t.Helper()
	srv := amplifyuibuildertest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// newClient returns the real client, pointed at srv, retrying up to 3 times
// without waiting.
func newClient(srv *amplifyuibuildertest.Server, optFns ...func(*amplifyuibuilder.Options)) *amplifyuibuilder.Client {
	noBackoff := func(o *amplifyuibuilder.Options) {
		o.Retryer = retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
			o.RateLimiter = ratelimit.None
		})
	}
	return srv.Client(append([]func(*amplifyuibuilder.Options){noBackoff}, optFns...)...)
}

func exchangeInput(code, redirect string) *amplifyuibuilder.ExchangeCodeForTokenInput {
	return &amplifyuibuilder.ExchangeCodeForTokenInput{
		Provider: types.TokenProvidersFigma,
		Request:  &types.ExchangeCodeForTokenRequestBody{Code: aws.String(code), RedirectUri: aws.String(redirect)},
	}
}

func exchange(t *testing.T, c *amplifyuibuilder.Client, in *amplifyuibuilder.ExchangeCodeForTokenInput, optFns ...func(*amplifyuibuilder.Options)) (*amplifyuibuilder.ExchangeCodeForTokenOutput, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return c.ExchangeCodeForToken(ctx, in, optFns...)
}

func refresh(t *testing.T, c *amplifyuibuilder.Client, token string) (*amplifyuibuilder.RefreshTokenOutput, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return c.RefreshToken(ctx, &amplifyuibuilder.RefreshTokenInput{
		Provider:         types.TokenProvidersFigma,
		RefreshTokenBody: &types.RefreshTokenRequestBody{Token: aws.String(token)},
	})
}

// requireAPIError checks that err is the service's answer with the given
// status and code, carrying a request id, and returns its message.
func requireAPIError(t *testing.T, err error, status int, code string) string {
	t.Helper()
	require.Error(t, err)
	var apiErr smithy.APIError
	require.True(t, errors.As(err, &apiErr), "not an API error: %v", err)
	assert.Equal(t, code, apiErr.ErrorCode())
	var respErr *awshttp.ResponseError
	require.True(t, errors.As(err, &respErr), "not a response error: %v", err)
	assert.Equal(t, status, respErr.HTTPStatusCode())
	assert.NotEmpty(t, respErr.ServiceRequestID())
	return apiErr.ErrorMessage()
}

// requireNoSecret checks that text quotes none of the secrets.
func requireNoSecret(t *testing.T, text string, secrets ...string) {
	t.Helper()
	for _, secret := range secrets {
		require.NotContains(t, text, secret)
	}
}

// afterSigning changes each signed request before it is sent, as a
// tampering on the way would: the signature should catch it.
func afterSigning(fn func(req *smithyhttp.Request) *smithyhttp.Request) func(*amplifyuibuilder.Options) {
	return func(o *amplifyuibuilder.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Finalize.Insert(middleware.FinalizeMiddlewareFunc("TamperAfterSigning", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
				middleware.FinalizeOutput, middleware.Metadata, error,
			) {
				in.Request = fn(in.Request.(*smithyhttp.Request))
				return next.HandleFinalize(ctx, in)
			}), "Signing", middleware.After)
		})
	}
}

// beforeSigning changes each request before it is hashed and signed, so the
// server sees a well-signed request with what fn made of it.
func beforeSigning(fn func(req *smithyhttp.Request) *smithyhttp.Request) func(*amplifyuibuilder.Options) {
	return func(o *amplifyuibuilder.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Build.Add(middleware.BuildMiddlewareFunc("ChangeBeforeSigning", func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (
				middleware.BuildOutput, middleware.Metadata, error,
			) {
				in.Request = fn(in.Request.(*smithyhttp.Request))
				return next.HandleBuild(ctx, in)
			}), middleware.After)
		})
	}
}

// withBody replaces the request body.
func withBody(body string) func(req *smithyhttp.Request) *smithyhttp.Request {
	return func(req *smithyhttp.Request) *smithyhttp.Request {
		req, err := req.SetStream(bytes.NewReader([]byte(body)))
		if err != nil {
			panic(err)
		}
		req.ContentLength = int64(len(body))
		return req
	}
}

// rawBodyInto decodes each response body into v before the client reads it.
func rawBodyInto(v any) func(*amplifyuibuilder.Options) {
	return func(o *amplifyuibuilder.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Deserialize.Insert(middleware.DeserializeMiddlewareFunc("CaptureBody", func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
				middleware.DeserializeOutput, middleware.Metadata, error,
			) {
				out, metadata, err := next.HandleDeserialize(ctx, in)
				if resp, ok := out.RawResponse.(*smithyhttp.Response); ok && err == nil {
					body, _ := io.ReadAll(resp.Body)
					_ = json.Unmarshal(body, v)
					resp.Body = io.NopCloser(bytes.NewReader(body))
				}
				return out, metadata, err
			}), "OperationDeserializer", middleware.After)
		})
	}
}
