package amplifyuibuilder

import (
	"context"
	"net/http"
	"testing"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUserAgentIsTheSDKs checks that the User-Agent sent, built once per
// client, is the one the SDK's middleware builds on every call for the same
// options and stack functions, and that a User-Agent already on the request
// stays at its end, as the SDK's middleware keeps it.
func TestUserAgentIsTheSDKs(t *testing.T) {
	setEarlierUserAgent := func(s *middleware.Stack) error {
		return s.Build.Add(middleware.BuildMiddlewareFunc("earlierUserAgent", func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (
			middleware.BuildOutput, middleware.Metadata, error,
		) {
			in.Request.(*smithyhttp.Request).Header.Set("User-Agent", "earlier/1.0")
			return next.HandleBuild(ctx, in)
		}), middleware.Before)
	}
	optFns := []func(*Options){
		func(o *Options) { o.AppID = "my-app" },
		WithAPIOptions(awsmiddleware.AddUserAgentKeyValue("lib", "2.0"), setEarlierUserAgent),
	}
	c, rec := setup(t, okTokens, optFns...)
	_, err := exchange(t, c, exchangeInput())
	require.NoError(t, err)
	got := rec.all()[0].Header.Get("User-Agent")

	// What the SDK's middleware writes, per call, for the same options.
	o := c.Options()
	sdk := newUserAgent(o)
	sdk.AddUserAgentKeyValue("lib", "2.0")
	req := smithyhttp.NewStackRequest().(*smithyhttp.Request)
	req.Header = http.Header{"User-Agent": {"earlier/1.0"}}
	_, _, err = sdk.HandleBuild(context.Background(), middleware.BuildInput{Request: req}, middleware.BuildHandlerFunc(
		func(context.Context, middleware.BuildInput) (middleware.BuildOutput, middleware.Metadata, error) {
			return middleware.BuildOutput{}, middleware.Metadata{}, nil
		}))
	require.NoError(t, err)

	assert.Equal(t, req.Header.Get("User-Agent"), got)
	assert.Contains(t, got, "api/amplifyuibuilder#"+moduleVersion)
	assert.Contains(t, got, "app/my-app")
	assert.Contains(t, got, "lib/2.0")
	assert.Regexp(t, ` earlier/1\.0$`, got)
}
