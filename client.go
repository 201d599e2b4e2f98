package amplifyuibuilder

import (
	"context"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	smithy "github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/metrics"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/tracing"
)

// ServiceID is the service's SDK id, used in errors, logs and metrics.
const ServiceID = "AmplifyUIBuilder"

// ServiceAPIVersion is the API version the client speaks.
const ServiceAPIVersion = "2021-08-11"

// signingName is the SigV4 service name and the endpoint prefix.
const signingName = "amplifyuibuilder"

// Client calls the Amplify UI Builder token operations. It is safe for
// concurrent use; create one and share it.
type Client struct {
	options Options

	// plans holds, for each operation, the call plan built from options
	// once, in New. A call with option functions builds its own.
	plans [operationCount]*callPlan

	// clockSkew is the difference between the service's clock and ours, as
	// last observed, in nanoseconds.
	clockSkew *atomic.Int64
}

// New returns a client configured by options, then by each optFn in turn.
// Unset options take the aws-sdk-go-v2 defaults: standard retries with 3
// attempts, a keep-alive HTTP client, a SigV4 signer and the default endpoint
// resolver.
func New(options Options, optFns ...func(*Options)) *Client {
	options = options.Copy()
	resolveDefaults(&options)
	for _, fn := range optFns {
		fn(&options)
	}
	finalizeRetryMaxAttempts(&options)
	ignoreAnonymousCredentials(&options)

	c := &Client{options: options, clockSkew: new(atomic.Int64)}
	for _, op := range operations {
		c.plans[op.id] = c.newCallPlan(op, options)
	}
	return c
}

// Options returns a copy of the client's options. Changing the copy does not
// change the client; to change one call, pass option functions to it.
func (c *Client) Options() Options {
	return c.options.Copy()
}

// invoke runs one operation through its middleware stack and returns its
// result. Every error it returns is a *smithy.OperationError.
func (c *Client) invoke(ctx context.Context, op *operation, params any, optFns []func(*Options)) (any, middleware.Metadata, error) {
	plan := c.plans[op.id]
	if len(optFns) > 0 {
		plan = c.newCallPlan(op, c.callOptions(optFns))
	}

	var result any
	var metadata middleware.Metadata
	err := plan.err
	if err == nil {
		ctx = newCallContext(ctx, plan)
		var endCall func(middleware.Metadata, error)
		ctx, endCall = plan.telemetry.startCall(ctx, op)
		result, metadata, err = plan.handle(ctx, params)
		endCall(metadata, err)
	}
	if err != nil {
		return nil, metadata, &smithy.OperationError{ServiceID: ServiceID, OperationName: op.name, Err: err}
	}
	return result, metadata, nil
}

// callOptions returns the client's options as changed by one call's option
// functions. Calls without option functions use the plans made in New and
// never copy the options.
func (c *Client) callOptions(optFns []func(*Options)) Options {
	options := c.options.Copy()
	for _, fn := range optFns {
		fn(&options)
	}
	finalizeOperationRetryMaxAttempts(&options, c.options.RetryMaxAttempts)
	ignoreAnonymousCredentials(&options)
	return options
}

func resolveDefaults(o *Options) {
	if o.Logger == nil {
		o.Logger = logging.Nop{}
	}
	if o.Retryer == nil {
		o.Retryer = newRetryer(o.RetryMode)
	}
	if o.HTTPClient == nil {
		o.HTTPClient = awshttp.NewBuildableClient()
	}
	if o.HTTPSignerV4 == nil {
		// Signing is logged by the client itself, with credentials redacted:
		// the signer's own LogSigning prints the canonical request, session
		// token included.
		o.HTTPSignerV4 = v4.NewSigner()
	}
	if o.EndpointResolverV2 == nil {
		o.EndpointResolverV2 = NewDefaultEndpointResolverV2()
	}
	if o.TracerProvider == nil {
		o.TracerProvider = &tracing.NopTracerProvider{}
	}
	if o.MeterProvider == nil {
		o.MeterProvider = metrics.NopMeterProvider{}
	}
}

func newRetryer(mode aws.RetryMode) aws.Retryer {
	if mode == aws.RetryModeAdaptive {
		return retry.NewAdaptiveMode()
	}
	return retry.NewStandard()
}

// finalizeRetryMaxAttempts applies RetryMaxAttempts to the retryer, whichever
// way the retryer was made.
func finalizeRetryMaxAttempts(o *Options) {
	if o.RetryMaxAttempts != 0 {
		o.Retryer = retry.AddWithMaxAttempts(o.Retryer, o.RetryMaxAttempts)
	}
}

// finalizeOperationRetryMaxAttempts applies a RetryMaxAttempts that one call's
// options changed.
func finalizeOperationRetryMaxAttempts(o *Options, clientMaxAttempts int) {
	if o.RetryMaxAttempts != 0 && o.RetryMaxAttempts != clientMaxAttempts {
		o.Retryer = retry.AddWithMaxAttempts(o.Retryer, o.RetryMaxAttempts)
	}
}

// ignoreAnonymousCredentials turns aws.AnonymousCredentials into "no
// credentials": requests go out unsigned instead of failing to sign.
func ignoreAnonymousCredentials(o *Options) {
	if aws.IsCredentialsProvider(o.Credentials, (*aws.AnonymousCredentials)(nil)) {
		o.Credentials = nil
	}
}
