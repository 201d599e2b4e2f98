package amplifyuibuilder

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/defaults"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	smithy "github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/metrics"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/tracing"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// ServiceID is the service's SDK id, used in errors, logs and metrics.
const ServiceID = "AmplifyUIBuilder"

// ServiceAPIVersion is the API version the client speaks.
const ServiceAPIVersion = "2021-08-11"

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

	// buildable is the client's HTTPClient when it is the SDK's
	// BuildableClient, and sender the redirect-refusing client made from it
	// once (sendingClient).
	buildable *awshttp.BuildableClient
	sender    HTTPClient
}

// New returns a client configured by options, then by each optFn in turn.
// Unset options take the aws-sdk-go-v2 defaults, as DefaultsMode selects
// them: standard retries with 3 attempts, a keep-alive HTTP client, SigV4
// with the client's credentials (unsigned requests without them) and the
// default endpoint resolver.
func New(options Options, optFns ...func(*Options)) *Client {
	options = options.Copy()
	resolveDefaults(&options)
	for _, fn := range optFns {
		fn(&options)
	}
	finalizeRetryMaxAttempts(&options)
	ignoreAnonymousCredentials(&options)
	resolveAuthSchemes(&options)

	c := &Client{options: options, clockSkew: new(atomic.Int64)}
	if b, ok := options.HTTPClient.(*awshttp.BuildableClient); ok {
		c.buildable, c.sender = b, refuseRedirects(b)
	}
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
// result. Every error it returns is a *smithy.OperationError, free of the
// call's secrets.
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
		result, metadata, err = plan.handler.Handle(ctx, params)
		endCall(metadata, err)
	}
	if err != nil {
		// Errors are scrubbed where they arise (transport.go, deserialize.go,
		// requestid.go); this catches any other that quotes a secret.
		err = getCallSecrets(ctx).scrubError(err)
		return nil, metadata, &smithy.OperationError{ServiceID: ServiceID, OperationName: op.name(), Err: err}
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

// resolveDefaults fills in the options a caller left unset, in the order of
// the aws-sdk-go-v2 clients' New.
func resolveDefaults(o *Options) {
	if o.Logger == nil {
		o.Logger = logging.Nop{}
	}
	resolveDefaultsMode(o)
	if o.Retryer == nil {
		o.Retryer = newRetryer(o)
	}
	resolveHTTPClient(o)
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
	if o.AuthSchemeResolver == nil {
		o.AuthSchemeResolver = newDefaultAuthSchemeResolver()
	}
}

// resolveDefaultsMode records the defaults mode the client was made with,
// "auto" resolved from the region and the runtime environment, as
// aws-sdk-go-v2 clients do.
func resolveDefaultsMode(o *Options) {
	var mode aws.DefaultsMode
	mode.SetFromString(string(o.DefaultsMode))
	if mode == aws.DefaultsModeAuto {
		mode = defaults.ResolveDefaultsModeAuto(o.Region, o.RuntimeEnvironment)
	}
	o.resolvedDefaultsMode = mode
}

// newRetryer makes the retryer of RetryMode, or of the defaults mode's retry
// mode when RetryMode is unset: standard, unless adaptive is asked for.
func newRetryer(o *Options) aws.Retryer {
	mode := o.RetryMode
	if mode == "" {
		if config, err := defaults.GetModeConfiguration(o.resolvedDefaultsMode); err == nil {
			mode = config.RetryMode
		}
	}
	if mode == aws.RetryModeAdaptive {
		return retry.NewAdaptiveMode()
	}
	return retry.NewStandard()
}

// resolveHTTPClient makes the default HTTP client, an aws-sdk-go-v2
// BuildableClient, and gives it, or a BuildableClient of the caller's, the
// connect and TLS handshake timeouts of the defaults mode. Any other client
// is used as it is.
func resolveHTTPClient(o *Options) {
	var buildable *awshttp.BuildableClient
	if o.HTTPClient == nil {
		buildable = awshttp.NewBuildableClient()
	} else if b, ok := o.HTTPClient.(*awshttp.BuildableClient); ok {
		buildable = b
	} else {
		return
	}
	if config, err := defaults.GetModeConfiguration(o.resolvedDefaultsMode); err == nil {
		if timeout, ok := config.GetConnectTimeout(); ok {
			buildable = buildable.WithDialerOptions(func(d *net.Dialer) { d.Timeout = timeout })
		}
		if timeout, ok := config.GetTLSNegotiationTimeout(); ok {
			buildable = buildable.WithTransportOptions(func(t *http.Transport) { t.TLSHandshakeTimeout = timeout })
		}
	}
	o.HTTPClient = buildable
}

// sendingClient returns the client that sends the requests of a call whose
// HTTPClient option is h. The SDK's own client (the default, and the
// *awshttp.BuildableClient that config.LoadDefaultConfig puts in
// aws.Config.HTTPClient) follows 307 and 308 redirects, re-sending the body
// (the code, the client id) and the signature to whatever Location says;
// the service never redirects, so for it calls use the same client built
// with a redirect policy that refuses them all (refuseRedirects). Any other
// client is the caller's own, used as it is, with its own policy.
func (c *Client) sendingClient(h HTTPClient) HTTPClient {
	b, ok := h.(*awshttp.BuildableClient)
	switch {
	case !ok:
		return h
	case b == c.buildable:
		return c.sender
	default: // a BuildableClient given to one call
		return refuseRedirects(b)
	}
}

// refuseRedirects returns b's http.Client, as b.Freeze builds it (its
// transport, timeout and read timeout), that never follows a redirect: a 3xx
// is returned as the response, which the call reports as an error response
// with its status and request id. Like any copy of a BuildableClient, it has
// its own connection pool. Should Freeze ever not give an *http.Client, the
// client is built from b's exported transport and timeout instead.
func refuseRedirects(b *awshttp.BuildableClient) HTTPClient {
	built, ok := b.Freeze().(*http.Client)
	if !ok {
		built = &http.Client{Transport: b.GetTransport(), Timeout: b.GetTimeout()}
	}
	refusing := *built
	refusing.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &refusing
}

// resolveAuthSchemes gives the client the SigV4 scheme unless the caller
// chose its schemes.
func resolveAuthSchemes(o *Options) {
	if o.AuthSchemes == nil {
		o.AuthSchemes = []smithyhttp.AuthScheme{&sigV4Scheme{signer: newSigV4Signer(*o, nil, &telemetry{})}}
	}
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
