package amplifyuibuilder

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	smithyauth "github.com/aws/smithy-go/auth"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/metrics"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/tracing"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// DefaultMaxResponseBodySize is the most a call reads of a response body
// unless Options.MaxResponseBodySize says otherwise: 1 MiB, far above any
// answer the service gives, far below what would hurt a server.
const DefaultMaxResponseBodySize = 1 << 20

// HTTPClient sends one HTTP request. *http.Client satisfies it, and so does
// any test double.
type HTTPClient interface {
	Do(*http.Request) (*http.Response, error)
}

// HTTPSignerV4 signs a request with AWS Signature Version 4. *v4.Signer from
// github.com/aws/aws-sdk-go-v2/aws/signer/v4 satisfies it.
type HTTPSignerV4 interface {
	SignHTTP(ctx context.Context, credentials aws.Credentials, r *http.Request, payloadHash string, service string, region string, signingTime time.Time, optFns ...func(*v4.SignerOptions)) error
}

// IdempotencyTokenProvider supplies idempotency tokens. The token operations
// have no idempotency token member, so the client never calls it; the field
// exists so that code written for the aws-sdk-go-v2 client compiles.
type IdempotencyTokenProvider interface {
	GetIdempotencyToken() (string, error)
}

// Options configure a Client. The zero value of every field is usable: New
// fills in the aws-sdk-go-v2 defaults. Region (or BaseEndpoint) and
// Credentials are the ones a caller normally sets.
type Options struct {
	// APIOptions modify the middleware stack of every call, as in every
	// aws-sdk-go-v2 client. Options given to one call apply to that call only.
	APIOptions []func(*middleware.Stack) error

	// AppID is an application identifier appended to the User-Agent header.
	AppID string

	// BaseEndpoint replaces the regional endpoint, for example with a local
	// test server's URL. It is used verbatim, and cannot be combined with FIPS
	// or dual-stack endpoints.
	BaseEndpoint *string

	// ClientLogMode selects what is logged to Logger: requests, responses,
	// their bodies, retries and signing. Secrets are redacted in all of them.
	ClientLogMode aws.ClientLogMode

	// Credentials sign every request. With nil (or aws.AnonymousCredentials)
	// requests are sent unsigned.
	Credentials aws.CredentialsProvider

	// DefaultsMode selects defaults as in aws-sdk-go-v2 (package
	// aws/defaults): with "standard", "in-region", "cross-region" or
	// "mobile", New gives the default HTTP client (or a BuildableClient of
	// the caller's) that mode's connect and TLS handshake timeouts, and takes
	// the mode's retry mode (standard for every mode today) when RetryMode
	// and Retryer are unset. "auto" resolves to one of them from Region and
	// RuntimeEnvironment; "legacy" or unset leave the SDK's defaults.
	DefaultsMode aws.DefaultsMode

	// DisableClockSkewCorrection stops the client from adjusting its signing
	// time to the clock skew it observes in response Date headers.
	DisableClockSkewCorrection bool

	// EndpointOptions select FIPS or dual-stack endpoints, or plain HTTP.
	EndpointOptions EndpointResolverOptions

	// EndpointResolver is the legacy endpoint resolver.
	//
	// Deprecated: set BaseEndpoint, or EndpointResolverV2, instead. When set,
	// its answer wins unless it returns an *aws.EndpointNotFoundError.
	EndpointResolver EndpointResolver

	// EndpointResolverV2 resolves the endpoint of every call from
	// EndpointParameters. Defaults to NewDefaultEndpointResolverV2().
	EndpointResolverV2 EndpointResolverV2

	// HTTPSignerV4 signs requests. Defaults to a v4.Signer.
	HTTPSignerV4 HTTPSignerV4

	// IdempotencyTokenProvider is unused by the token operations.
	IdempotencyTokenProvider IdempotencyTokenProvider

	// Interceptors run at the points of a call that smithy-go defines.
	Interceptors smithyhttp.InterceptorRegistry

	// Logger receives the log lines ClientLogMode asks for. Defaults to a
	// logger that discards them.
	Logger logging.Logger

	// MaxResponseBodySize is the most a call reads of a response body, in
	// bytes; a longer body fails the call with a *ResponseTooLargeError
	// without being read further. Zero or less means
	// DefaultMaxResponseBodySize.
	MaxResponseBodySize int64

	// MeterProvider records the client's metrics. Defaults to a no-op.
	MeterProvider metrics.MeterProvider

	// Region is the AWS Region requests are sent to and signed for.
	Region string

	// RetryMaxAttempts, when not zero, sets the maximum number of attempts of
	// each call, the first one included.
	RetryMaxAttempts int

	// RetryMode selects the retry strategy when Retryer is nil: standard (the
	// default) or adaptive.
	RetryMode aws.RetryMode

	// Retryer decides which failures are retried and how long to wait. When
	// nil, New builds one from RetryMode and RetryMaxAttempts with
	// github.com/aws/aws-sdk-go-v2/aws/retry.
	Retryer aws.Retryer

	// RuntimeEnvironment is where the client runs, as config.LoadDefaultConfig
	// finds it; DefaultsMode "auto" resolves from it.
	RuntimeEnvironment aws.RuntimeEnvironment

	// TracerProvider creates the spans of every call. Defaults to a no-op.
	TracerProvider tracing.TracerProvider

	// HTTPClient sends the requests. Defaults to an aws-sdk-go-v2
	// BuildableClient, which keeps connections alive.
	//
	// The service never redirects, so with the SDK's client (the default,
	// or any *awshttp.BuildableClient, such as the one
	// config.LoadDefaultConfig puts in aws.Config.HTTPClient) the client
	// follows no redirect: a 3xx fails the call as an error response
	// (*awshttp.ResponseError, with its status and request id) and nothing
	// is sent to its Location. It sends through the BuildableClient's own
	// http.Client (transport, timeouts) built once with a CheckRedirect that
	// returns http.ErrUseLastResponse; the BuildableClient itself is not
	// changed. A BuildableClient given to one call only (in its option
	// functions) gets such a client, with its own connections, for that
	// call: set it on the client to keep connections alive. Any other HTTPClient is yours and keeps its own redirect
	// policy: an *http.Client with a nil CheckRedirect follows up to 10,
	// re-sending the body, code included, on a 307 or 308.
	HTTPClient HTTPClient

	// AuthSchemeResolver chooses how each call authenticates. The default
	// chooses SigV4 ("aws.auth#sigv4", signing name "amplifyuibuilder", the
	// client's region) and, without Credentials, no signature.
	AuthSchemeResolver AuthSchemeResolver

	// AuthSchemes are the auth schemes the client can use. Defaults to SigV4
	// with HTTPSignerV4 and Credentials.
	AuthSchemes []smithyhttp.AuthScheme

	// AuthSchemePreference names auth schemes ("sigv4") to prefer over the
	// resolver's order.
	AuthSchemePreference []string

	// resolvedDefaultsMode is DefaultsMode as New resolved it ("auto"
	// resolved).
	resolvedDefaultsMode aws.DefaultsMode
}

// Copy returns a copy of the options whose APIOptions and Interceptors can be
// changed without changing the original's.
func (o Options) Copy() Options {
	to := o
	to.APIOptions = append([]func(*middleware.Stack) error(nil), o.APIOptions...)
	to.Interceptors = o.Interceptors.Copy()
	return to
}

// GetIdentityResolver returns the identity resolver of an auth scheme: the
// Credentials for SigV4 (nil without them), the anonymous identity for
// "smithy.api#noAuth", nil for any other.
func (o Options) GetIdentityResolver(schemeID string) smithyauth.IdentityResolver {
	switch schemeID {
	case smithyauth.SchemeIDSigV4:
		if o.Credentials != nil {
			return &credentialsResolver{provider: o.Credentials}
		}
	case smithyauth.SchemeIDAnonymous:
		return &smithyauth.AnonymousIdentityResolver{}
	}
	return nil
}

// WithAPIOptions returns an option function that adds stack functions to
// Options.APIOptions.
func WithAPIOptions(optFns ...func(*middleware.Stack) error) func(*Options) {
	return func(o *Options) {
		o.APIOptions = append(o.APIOptions, optFns...)
	}
}

// WithEndpointResolverV2 returns an option function that sets
// Options.EndpointResolverV2.
func WithEndpointResolverV2(v EndpointResolverV2) func(*Options) {
	return func(o *Options) {
		o.EndpointResolverV2 = v
	}
}

// WithEndpointResolver returns an option function that sets the legacy
// Options.EndpointResolver.
//
// Deprecated: set BaseEndpoint, or use WithEndpointResolverV2, instead.
func WithEndpointResolver(v EndpointResolver) func(*Options) {
	return func(o *Options) {
		o.EndpointResolver = v
	}
}

// WithSigV4SigningName returns an option function that signs requests with
// the given service name instead of "amplifyuibuilder".
func WithSigV4SigningName(name string) func(*Options) {
	return withInitializeContext("withSigV4SigningName", func(ctx context.Context) context.Context {
		return awsmiddleware.SetSigningName(ctx, name)
	})
}

// WithSigV4SigningRegion returns an option function that signs requests for
// the given region instead of the client's Region.
func WithSigV4SigningRegion(region string) func(*Options) {
	return withInitializeContext("withSigV4SigningRegion", func(ctx context.Context) context.Context {
		return awsmiddleware.SetSigningRegion(ctx, region)
	})
}

// withInitializeContext returns an option function that adds an initialize
// middleware which changes the call's context.
func withInitializeContext(id string, set func(context.Context) context.Context) func(*Options) {
	fn := func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (
		middleware.InitializeOutput, middleware.Metadata, error,
	) {
		return next.HandleInitialize(set(ctx), in)
	}
	return func(o *Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Initialize.Add(middleware.InitializeMiddlewareFunc(id, fn), middleware.Before)
		})
	}
}
