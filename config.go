package amplifyuibuilder

import (
	"context"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// NewFromConfig returns a client configured from an aws.Config, as
// config.LoadDefaultConfig returns it, then by the config's ServiceOptions
// and each optFn in turn. It reads the fields an aws-sdk-go-v2 client's
// NewFromConfig reads: the region, defaults mode and runtime environment,
// HTTP client, credentials, API options, logger and log mode, app id, clock
// skew correction, auth scheme preference, retryer, retry mode and maximum
// attempts, legacy endpoint resolvers, interceptors, base endpoint, and from
// the config sources the FIPS and dual-stack settings and the service's own
// endpoint (AWS_ENDPOINT_URL_AMPLIFYUIBUILDER or the shared config file's
// services section).
func NewFromConfig(cfg aws.Config, optFns ...func(*Options)) *Client {
	opts := Options{
		Region:                     cfg.Region,
		DefaultsMode:               cfg.DefaultsMode,
		RuntimeEnvironment:         cfg.RuntimeEnvironment,
		HTTPClient:                 cfg.HTTPClient,
		Credentials:                cfg.Credentials,
		APIOptions:                 cfg.APIOptions,
		Logger:                     cfg.Logger,
		ClientLogMode:              cfg.ClientLogMode,
		AppID:                      cfg.AppID,
		DisableClockSkewCorrection: cfg.DisableClockSkewCorrection,
		AuthSchemePreference:       cfg.AuthSchemePreference,
		BaseEndpoint:               cfg.BaseEndpoint,
		RetryMaxAttempts:           cfg.RetryMaxAttempts,
		RetryMode:                  cfg.RetryMode,
		Interceptors:               cfg.Interceptors.Copy(),
	}
	if cfg.Retryer != nil {
		opts.Retryer = cfg.Retryer()
	}
	if cfg.EndpointResolverWithOptions != nil || cfg.EndpointResolver != nil {
		opts.EndpointResolver = awsEndpointResolver{cfg.EndpointResolverWithOptions, cfg.EndpointResolver}
	}
	resolveEndpointSettings(cfg.ConfigSources, &opts)
	return New(opts, func(o *Options) {
		for _, fn := range cfg.ServiceOptions {
			fn(ServiceID, o)
		}
		for _, fn := range optFns {
			fn(o)
		}
	})
}

// awsEndpointResolver is the legacy EndpointResolver made of an aws.Config's
// EndpointResolverWithOptions, or else its EndpointResolver, asked about this
// service; an *aws.EndpointNotFoundError lets the endpoint rules decide.
type awsEndpointResolver struct {
	withOptions aws.EndpointResolverWithOptions
	plain       aws.EndpointResolver //nolint:staticcheck // read as aws-sdk-go-v2 clients read it
}

func (r awsEndpointResolver) ResolveEndpoint(region string, options EndpointResolverOptions) (aws.Endpoint, error) {
	if r.withOptions != nil {
		return r.withOptions.ResolveEndpoint(ServiceID, region, options)
	}
	return r.plain.ResolveEndpoint(ServiceID, region)
}

// The interfaces that aws-sdk-go-v2's config sources (environment, shared
// config file, load options) implement. The SDK keeps its own copies
// internal; these are the same method sets.
type (
	useFIPSEndpointProvider interface {
		GetUseFIPSEndpoint(context.Context) (aws.FIPSEndpointState, bool, error)
	}
	useDualStackEndpointProvider interface {
		GetUseDualStackEndpoint(context.Context) (aws.DualStackEndpointState, bool, error)
	}
	serviceBaseEndpointProvider interface {
		GetServiceBaseEndpoint(ctx context.Context, sdkID string) (string, bool, error)
	}
	ignoreConfiguredEndpointsProvider interface {
		GetIgnoreConfiguredEndpoints(context.Context) (bool, bool, error)
	}
)

// firstFound returns the value of the first config source that has one.
func firstFound[P any, V any](sources []any, get func(P) (V, bool, error)) (V, bool) {
	for _, source := range sources {
		if p, ok := source.(P); ok {
			v, found, err := get(p)
			if err != nil {
				break
			}
			if found {
				return v, true
			}
		}
	}
	var zero V
	return zero, false
}

// resolveEndpointSettings reads FIPS, dual-stack and the service-specific
// endpoint from the config sources, in their order of precedence.
func resolveEndpointSettings(sources []any, o *Options) {
	ctx := context.Background()
	if v, ok := firstFound(sources, func(p useFIPSEndpointProvider) (aws.FIPSEndpointState, bool, error) {
		return p.GetUseFIPSEndpoint(ctx)
	}); ok {
		o.EndpointOptions.UseFIPSEndpoint = v
	}
	if v, ok := firstFound(sources, func(p useDualStackEndpointProvider) (aws.DualStackEndpointState, bool, error) {
		return p.GetUseDualStackEndpoint(ctx)
	}); ok {
		o.EndpointOptions.UseDualStackEndpoint = v
	}

	// A global AWS_ENDPOINT_URL is already in the config's BaseEndpoint; the
	// service's own environment variable or shared config entry wins over it,
	// unless configured endpoints are turned off altogether.
	_, global := os.LookupEnv("AWS_ENDPOINT_URL")
	_, service := os.LookupEnv("AWS_ENDPOINT_URL_AMPLIFYUIBUILDER")
	if global && !service {
		return
	}
	if ignore, ok := firstFound(sources, func(p ignoreConfiguredEndpointsProvider) (bool, bool, error) {
		return p.GetIgnoreConfiguredEndpoints(ctx)
	}); ok && ignore {
		return
	}
	if v, ok := firstFound(sources, func(p serviceBaseEndpointProvider) (string, bool, error) {
		return p.GetServiceBaseEndpoint(ctx, ServiceID)
	}); ok {
		o.BaseEndpoint = &v
	}
}
