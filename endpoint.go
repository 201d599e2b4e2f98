package amplifyuibuilder

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	smithyendpoints "github.com/aws/smithy-go/endpoints"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/tracing"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/uibuilder-go/amplifyuibuilder/internal/endpointrules"
)

// EndpointParameters are the inputs of endpoint resolution.
type EndpointParameters struct {
	// Region is the AWS Region of the call. Required unless Endpoint is set.
	Region *string

	// UseDualStack selects the dual-stack (IPv6) endpoint. Defaults to false.
	UseDualStack *bool

	// UseFIPS selects the FIPS endpoint. Defaults to false.
	UseFIPS *bool

	// Endpoint overrides the endpoint: the client's BaseEndpoint.
	Endpoint *string
}

// ValidateRequired reports a required parameter that is nil. Call WithDefaults
// first to fill in the optional ones.
func (p EndpointParameters) ValidateRequired() error {
	if p.UseDualStack == nil {
		return fmt.Errorf("parameter UseDualStack is required")
	}
	if p.UseFIPS == nil {
		return fmt.Errorf("parameter UseFIPS is required")
	}
	return nil
}

// WithDefaults returns a copy of p with UseDualStack and UseFIPS set to false
// where they are nil.
func (p EndpointParameters) WithDefaults() EndpointParameters {
	if p.UseDualStack == nil {
		p.UseDualStack = aws.Bool(false)
	}
	if p.UseFIPS == nil {
		p.UseFIPS = aws.Bool(false)
	}
	return p
}

// EndpointResolverV2 resolves the endpoint of a call from its parameters.
// Implement it to route calls yourself; NewDefaultEndpointResolverV2 returns
// the service's rules.
type EndpointResolverV2 interface {
	ResolveEndpoint(ctx context.Context, params EndpointParameters) (smithyendpoints.Endpoint, error)
}

// NewDefaultEndpointResolverV2 returns the resolver that applies the service's
// endpoint rules: a custom Endpoint verbatim, else
// https://amplifyuibuilder[-fips].{Region}.{DNS suffix of its partition}.
func NewDefaultEndpointResolverV2() EndpointResolverV2 {
	return defaultResolver{}
}

type defaultResolver struct{}

func (defaultResolver) ResolveEndpoint(_ context.Context, params EndpointParameters) (smithyendpoints.Endpoint, error) {
	params = params.WithDefaults()
	if err := params.ValidateRequired(); err != nil {
		return smithyendpoints.Endpoint{}, fmt.Errorf("endpoint parameters are not valid, %w", err)
	}
	rawURL, err := endpointrules.Resolve(endpointrules.Params{
		Region:       aws.ToString(params.Region),
		UseFIPS:      *params.UseFIPS,
		UseDualStack: *params.UseDualStack,
		Endpoint:     params.Endpoint,
	})
	if err != nil {
		return smithyendpoints.Endpoint{}, err
	}
	uri, err := url.Parse(rawURL)
	if err != nil {
		return smithyendpoints.Endpoint{}, fmt.Errorf("failed to parse uri: %w", err)
	}
	return smithyendpoints.Endpoint{URI: *uri}, nil
}

// EndpointResolverOptions select among the service's endpoints.
type EndpointResolverOptions struct {
	// Logger is given to a legacy EndpointResolver.
	Logger logging.Logger

	// LogDeprecated is given to a legacy EndpointResolver.
	LogDeprecated bool

	// ResolvedRegion, when set, is the region a legacy EndpointResolver is
	// asked about instead of Options.Region.
	ResolvedRegion string

	// DisableHTTPS sends requests over plain HTTP, unless a legacy resolver
	// marked its endpoint's hostname immutable.
	DisableHTTPS bool

	// UseDualStackEndpoint selects the dual-stack endpoint.
	UseDualStackEndpoint aws.DualStackEndpointState

	// UseFIPSEndpoint selects the FIPS endpoint.
	UseFIPSEndpoint aws.FIPSEndpointState
}

// EndpointResolver is the legacy endpoint resolver interface.
//
// Deprecated: set Options.BaseEndpoint, or implement EndpointResolverV2.
type EndpointResolver interface {
	ResolveEndpoint(region string, options EndpointResolverOptions) (aws.Endpoint, error)
}

// EndpointResolverFunc is a function that satisfies EndpointResolver.
//
// Deprecated: set Options.BaseEndpoint, or implement EndpointResolverV2.
type EndpointResolverFunc func(region string, options EndpointResolverOptions) (aws.Endpoint, error)

// ResolveEndpoint calls fn.
func (fn EndpointResolverFunc) ResolveEndpoint(region string, options EndpointResolverOptions) (aws.Endpoint, error) {
	return fn(region, options)
}

// EndpointResolverFromURL returns a legacy resolver that always answers url,
// with its hostname immutable.
//
// Deprecated: set Options.BaseEndpoint instead.
func EndpointResolverFromURL(url string, optFns ...func(*aws.Endpoint)) EndpointResolver {
	e := aws.Endpoint{URL: url, Source: aws.EndpointSourceCustom}
	for _, fn := range optFns {
		fn(&e)
	}
	return EndpointResolverFunc(func(string, EndpointResolverOptions) (aws.Endpoint, error) {
		return e, nil
	})
}

// endpointParameters binds the client's options to the rules' parameters. A
// FIPS pseudo-region such as "fips-us-east-1" means its region with FIPS on.
func endpointParameters(o Options) (EndpointParameters, error) {
	region, fips, err := endpointrules.BindRegion(o.Region)
	if err != nil {
		return EndpointParameters{}, err
	}
	params := EndpointParameters{
		UseDualStack: aws.Bool(o.EndpointOptions.UseDualStackEndpoint == aws.DualStackEndpointStateEnabled),
		UseFIPS:      aws.Bool(fips || o.EndpointOptions.UseFIPSEndpoint == aws.FIPSEndpointStateEnabled),
		Endpoint:     o.BaseEndpoint,
	}
	if region != "" {
		params.Region = aws.String(region)
	}
	return params, nil
}

// resolveEndpoint points each call's request at its endpoint. With the
// default resolver and no legacy one, the answer depends only on the
// client's options, so it is computed once, when the stack is built.
type resolveEndpoint struct {
	options   Options
	telemetry *telemetry

	fixed    *smithyendpoints.Endpoint
	fixedErr error
}

func newResolveEndpoint(o Options, t *telemetry) *resolveEndpoint {
	m := &resolveEndpoint{options: o, telemetry: t}
	if _, isDefault := o.EndpointResolverV2.(defaultResolver); isDefault && o.EndpointResolver == nil {
		endpoint, err := m.resolveV2(context.Background())
		m.fixed, m.fixedErr = &endpoint, err
	}
	return m
}

func (*resolveEndpoint) ID() string { return "ResolveEndpointV2" }

func (m *resolveEndpoint) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
	middleware.FinalizeOutput, middleware.Metadata, error,
) {
	req, ok := in.Request.(*smithyhttp.Request)
	if !ok {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, fmt.Errorf("unknown transport type %T", in.Request)
	}
	_, span := tracing.StartSpan(ctx, "ResolveEndpoint")
	start := m.telemetry.start()
	ctx, err := m.apply(ctx, req)
	m.telemetry.since(ctx, m.telemetry.resolveEndpointDuration, start)
	span.End()
	if err != nil {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, err
	}
	return next.HandleFinalize(ctx, in)
}

// apply points req at the call's endpoint and returns the context to
// continue with.
func (m *resolveEndpoint) apply(ctx context.Context, req *smithyhttp.Request) (context.Context, error) {
	if m.options.EndpointResolver != nil {
		applied, err := m.resolveLegacy(ctx, req)
		if err != nil {
			return ctx, err
		}
		if applied != nil {
			return applied, nil
		}
	}

	var endpoint smithyendpoints.Endpoint
	var err error
	if m.fixed != nil {
		endpoint, err = *m.fixed, m.fixedErr
	} else {
		endpoint, err = m.resolveV2(ctx)
	}
	if err != nil {
		return ctx, err
	}
	applyEndpoint(req, &endpoint.URI)
	for k := range endpoint.Headers {
		req.Header.Set(k, endpoint.Headers.Get(k))
	}
	if m.options.EndpointOptions.DisableHTTPS {
		req.URL.Scheme = "http"
	}
	return ctx, nil
}

func (m *resolveEndpoint) resolveV2(ctx context.Context) (smithyendpoints.Endpoint, error) {
	if m.options.EndpointResolverV2 == nil {
		return smithyendpoints.Endpoint{}, fmt.Errorf("expected endpoint resolver to not be nil")
	}
	params, err := endpointParameters(m.options)
	if err != nil {
		return smithyendpoints.Endpoint{}, fmt.Errorf("failed to bind endpoint params, %w", err)
	}
	endpoint, err := m.options.EndpointResolverV2.ResolveEndpoint(ctx, params)
	if err != nil {
		return smithyendpoints.Endpoint{}, fmt.Errorf("failed to resolve service endpoint, %w", err)
	}
	return endpoint, nil
}

// resolveLegacy asks the deprecated EndpointResolver. It returns the context
// to continue with when the resolver answered, nil when it has no endpoint
// for this region and the rules should decide.
func (m *resolveEndpoint) resolveLegacy(ctx context.Context, req *smithyhttp.Request) (context.Context, error) {
	opts := m.options.EndpointOptions
	region := m.options.Region
	if opts.ResolvedRegion != "" {
		region = opts.ResolvedRegion
	}
	endpoint, err := m.options.EndpointResolver.ResolveEndpoint(region, opts)
	var notFound *aws.EndpointNotFoundError
	if errors.As(err, &notFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("failed to resolve service endpoint, %w", err)
	}
	uri, err := url.Parse(endpoint.URL)
	if err != nil {
		return nil, fmt.Errorf("failed to parse endpoint URL: %w", err)
	}
	applyEndpoint(req, uri)
	if endpoint.SigningName != "" {
		ctx = awsmiddleware.SetSigningName(ctx, endpoint.SigningName)
	}
	if endpoint.SigningRegion != "" {
		ctx = awsmiddleware.SetSigningRegion(ctx, endpoint.SigningRegion)
	}
	ctx = smithyhttp.SetHostnameImmutable(ctx, endpoint.HostnameImmutable)
	if opts.DisableHTTPS && !endpoint.HostnameImmutable {
		req.URL.Scheme = "http"
	}
	return ctx, nil
}

// applyEndpoint puts the request under the endpoint: its scheme and host, and
// its path before the operation's path, in both the plain and the escaped
// form, so that an escaped label stays escaped.
func applyEndpoint(req *smithyhttp.Request, uri *url.URL) {
	req.URL.Scheme = uri.Scheme
	req.URL.Host = uri.Host
	if (uri.Path == "" || uri.Path == "/") && strings.HasPrefix(req.URL.Path, "/") {
		// Joining under the root gives the same path: skip the copies.
		return
	}
	rawPath := smithyhttp.JoinPath(uri.EscapedPath(), req.URL.EscapedPath())
	req.URL.Path = smithyhttp.JoinPath(uri.Path, req.URL.Path)
	req.URL.RawPath = ""
	if rawPath != req.URL.Path {
		req.URL.RawPath = rawPath
	}
}
