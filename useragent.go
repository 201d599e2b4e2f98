package amplifyuibuilder

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// The build step's own middleware: the User-Agent. The step's others are
// ClientRequestID (invocationid.go) and the SDK's RecursionDetection.

// moduleVersion is this module's version, sent in the User-Agent header.
const moduleVersion = "0.1.0"

const (
	userAgentMiddlewareID = "UserAgent"
	userAgentHeader       = "User-Agent"
)

// newUserAgent returns the aws-sdk-go-v2 User-Agent middleware, naming this
// API, the retry mode and where the credentials come from. It is the SDK's
// own type, so that APIOptions such as awsmiddleware.AddUserAgentKey find it
// and add to it; freezeUserAgent then turns it into a fixed header value.
func newUserAgent(o Options) *awsmiddleware.RequestUserAgent {
	ua := awsmiddleware.NewRequestUserAgent()
	ua.AddSDKAgentKeyValue(awsmiddleware.APIMetadata, signingName, moduleVersion)
	if o.AppID != "" {
		ua.AddSDKAgentKey(awsmiddleware.ApplicationIdentifier, o.AppID)
	}
	switch o.Retryer.(type) {
	case *retry.Standard:
		ua.AddUserAgentFeature(awsmiddleware.UserAgentFeatureRetryModeStandard)
	case *retry.AdaptiveMode:
		ua.AddUserAgentFeature(awsmiddleware.UserAgentFeatureRetryModeAdaptive)
	}
	if sources, ok := o.Credentials.(aws.CredentialProviderSource); ok {
		for _, source := range sources.ProviderSources() {
			ua.AddCredentialsSource(source)
		}
	}
	return ua
}

// freezeUserAgent replaces the SDK's User-Agent middleware, once the stack
// functions have added to it, with one that writes the same header value,
// built once. The SDK's middleware builds the value anew on every call,
// sorting its features through a map; the value depends only on what was
// added to it, which is fixed by now. A User-Agent middleware of another
// type, put there by a stack function, is left alone.
func freezeUserAgent(stack *middleware.Stack) error {
	sdk, ok := stillSDKMiddleware[*awsmiddleware.RequestUserAgent](stack.Build.Get, userAgentMiddlewareID)
	if !ok {
		return nil
	}
	// Let the SDK's middleware write its value into an empty request.
	req := smithyhttp.NewStackRequest().(*smithyhttp.Request)
	_, _, err := sdk.HandleBuild(context.Background(), middleware.BuildInput{Request: req}, middleware.BuildHandlerFunc(
		func(context.Context, middleware.BuildInput) (middleware.BuildOutput, middleware.Metadata, error) {
			return middleware.BuildOutput{}, middleware.Metadata{}, nil
		}))
	if err != nil {
		return err
	}
	_, err = stack.Build.Swap(userAgentMiddlewareID, &fixedUserAgent{value: req.Header.Get(userAgentHeader)})
	return err
}

// fixedUserAgent sets the User-Agent header the SDK's middleware would set:
// its value, followed by whatever User-Agent the request already had.
type fixedUserAgent struct{ value string }

func (*fixedUserAgent) ID() string { return userAgentMiddlewareID }

func (m *fixedUserAgent) HandleBuild(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (
	middleware.BuildOutput, middleware.Metadata, error,
) {
	req, ok := in.Request.(*smithyhttp.Request)
	if !ok {
		return middleware.BuildOutput{}, middleware.Metadata{}, fmt.Errorf("unknown transport type %T", in.Request)
	}
	value := m.value
	if current := req.Header[userAgentHeader]; len(current) > 0 && current[0] != "" {
		value += " " + current[0]
	}
	req.Header[userAgentHeader] = getCallState(ctx).headerValue(headerUserAgent, value)
	return next.HandleBuild(ctx, in)
}
