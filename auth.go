package amplifyuibuilder

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	smithy "github.com/aws/smithy-go"
	smithyauth "github.com/aws/smithy-go/auth"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/tracing"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// The first two middleware of every attempt, inside the retry loop:
// ResolveAuthScheme chooses how the attempt authenticates (SigV4 with the
// client's credentials, or no signature when there are none), GetIdentity
// fetches the identity that scheme needs. Signing (sign.go) then uses both.
// What they hand on lives in the call's state (callcontext.go), one attempt
// at a time.

// AuthResolverParameters are the inputs of auth scheme resolution.
type AuthResolverParameters struct {
	// Operation is the name of the operation being invoked.
	Operation string

	// Region is the region in which the operation is being invoked.
	Region string
}

// AuthSchemeResolver returns the ways an operation may authenticate, in order
// of preference. The client takes the first whose scheme it has
// (Options.AuthSchemes) and for which an identity resolver is configured.
type AuthSchemeResolver interface {
	ResolveAuthSchemes(context.Context, *AuthResolverParameters) ([]*smithyauth.Option, error)
}

// defaultAuthSchemeResolver is the service's rule: SigV4, signed for the
// service "amplifyuibuilder" in the client's region (a FIPS pseudo-region
// such as "fips-us-east-1" signs for the region it names).
type defaultAuthSchemeResolver struct{}

func (*defaultAuthSchemeResolver) ResolveAuthSchemes(_ context.Context, params *AuthResolverParameters) ([]*smithyauth.Option, error) {
	var props smithy.Properties
	smithyhttp.SetSigV4SigningName(&props, signingName)
	smithyhttp.SetSigV4SigningRegion(&props, signingRegion(params.Region))
	return []*smithyauth.Option{{SchemeID: smithyauth.SchemeIDSigV4, SignerProperties: props}}, nil
}

// withAnonymous lets the default resolver fall back to sending the request
// unsigned when the client has no credentials, as the aws-sdk-go-v2 clients
// do.
type withAnonymous struct{ resolver AuthSchemeResolver }

func (v *withAnonymous) ResolveAuthSchemes(ctx context.Context, params *AuthResolverParameters) ([]*smithyauth.Option, error) {
	opts, err := v.resolver.ResolveAuthSchemes(ctx, params)
	if err != nil {
		return nil, err
	}
	return append(opts, &smithyauth.Option{SchemeID: smithyauth.SchemeIDAnonymous}), nil
}

// newDefaultAuthSchemeResolver returns the resolver New uses when
// Options.AuthSchemeResolver is nil.
func newDefaultAuthSchemeResolver() AuthSchemeResolver {
	return &withAnonymous{resolver: &defaultAuthSchemeResolver{}}
}

// sigV4Scheme is the SigV4 auth scheme ("aws.auth#sigv4") of
// Options.AuthSchemes. The Signing middleware signs with the call's own
// options when it is the resolved scheme; Signer serves callers that use the
// scheme on their own.
type sigV4Scheme struct{ signer *sigV4Signer }

func (*sigV4Scheme) SchemeID() string { return smithyauth.SchemeIDSigV4 }

func (*sigV4Scheme) IdentityResolver(o smithyauth.IdentityResolverOptions) smithyauth.IdentityResolver {
	return o.GetIdentityResolver(smithyauth.SchemeIDSigV4)
}

func (s *sigV4Scheme) Signer() smithyhttp.Signer { return s.signer }

// credentialsResolver is the SigV4 identity resolver: the client's
// credentials provider.
type credentialsResolver struct{ provider aws.CredentialsProvider }

func (r *credentialsResolver) GetIdentity(ctx context.Context, _ smithy.Properties) (smithyauth.Identity, error) {
	creds, err := r.provider.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("get credentials: %w", err)
	}
	return &credentialsIdentity{creds}, nil
}

// credentialsIdentity is AWS credentials as a smithy-go identity.
type credentialsIdentity struct{ aws.Credentials }

// Expiration returns when the credentials expire.
func (c *credentialsIdentity) Expiration() time.Time { return c.Expires }

// resolvedAuthScheme is the auth option an attempt uses and what it needs.
type resolvedAuthScheme struct {
	scheme             smithyhttp.AuthScheme
	identityResolver   smithyauth.IdentityResolver
	identityProperties smithy.Properties
	signerProperties   smithy.Properties
}

// resolveAuthScheme is the ResolveAuthScheme middleware.
type resolveAuthScheme struct {
	operation string
	options   Options
	telemetry *telemetry

	// fixed is the scheme every attempt resolves to when the resolver is
	// the default one: its answer depends only on the options, so it is
	// resolved once, when the plan is built.
	fixed *resolvedAuthScheme
}

func newResolveAuthScheme(operation string, o Options, t *telemetry) (*resolveAuthScheme, error) {
	m := &resolveAuthScheme{operation: operation, options: o, telemetry: t}
	if r, ok := o.AuthSchemeResolver.(*withAnonymous); ok {
		if _, ok := r.resolver.(*defaultAuthSchemeResolver); ok {
			scheme, err := m.resolve(context.Background())
			if err != nil {
				return nil, err
			}
			m.fixed = scheme
		}
	}
	return m, nil
}

func (*resolveAuthScheme) ID() string { return "ResolveAuthScheme" }

func (m *resolveAuthScheme) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
	middleware.FinalizeOutput, middleware.Metadata, error,
) {
	_, span := tracing.StartSpan(ctx, "ResolveAuthScheme")
	scheme := m.fixed
	if scheme == nil {
		var err error
		if scheme, err = m.resolve(ctx); err != nil {
			span.End()
			return middleware.FinalizeOutput{}, middleware.Metadata{}, err
		}
	}
	if m.telemetry.traced {
		span.SetProperty("auth.scheme_id", scheme.scheme.SchemeID())
	}
	span.End()
	attempt, err := attemptOf(ctx)
	if err != nil {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, err
	}
	*attempt = attemptAuth{scheme: scheme}
	return next.HandleFinalize(ctx, in)
}

// resolve asks the resolver and picks the first option the client can
// serve, in the order of AuthSchemePreference, then the resolver's.
func (m *resolveAuthScheme) resolve(ctx context.Context) (*resolvedAuthScheme, error) {
	if m.options.AuthSchemeResolver == nil {
		return nil, fmt.Errorf("resolve auth scheme: no AuthSchemeResolver")
	}
	params := &AuthResolverParameters{Operation: m.operation, Region: m.options.Region}
	options, err := m.options.AuthSchemeResolver.ResolveAuthSchemes(ctx, params)
	if err != nil {
		return nil, fmt.Errorf("resolve auth scheme: %w", err)
	}
	for _, option := range sortAuthOptions(options, m.options.AuthSchemePreference) {
		if option.SchemeID == smithyauth.SchemeIDAnonymous {
			return newResolvedAuthScheme(smithyhttp.NewAnonymousScheme(), &smithyauth.AnonymousIdentityResolver{}, option), nil
		}
		for _, scheme := range m.options.AuthSchemes {
			if !matchSchemeID(scheme.SchemeID(), option.SchemeID) {
				continue
			}
			if resolver := scheme.IdentityResolver(m.options); resolver != nil {
				return newResolvedAuthScheme(scheme, resolver, option), nil
			}
		}
	}
	return nil, fmt.Errorf("could not select an auth scheme")
}

func newResolvedAuthScheme(scheme smithyhttp.AuthScheme, resolver smithyauth.IdentityResolver, option *smithyauth.Option) *resolvedAuthScheme {
	return &resolvedAuthScheme{
		scheme:             scheme,
		identityResolver:   resolver,
		identityProperties: option.IdentityProperties,
		signerProperties:   option.SignerProperties,
	}
}

// matchSchemeID reports whether a registered scheme serves an option: the
// same id, or the same name after the namespace ("sigv4" for
// "aws.auth#sigv4").
func matchSchemeID(registered, option string) bool {
	if registered == option {
		return true
	}
	if i := strings.LastIndex(registered, "#"); i != -1 {
		return registered[i+1:] == option
	}
	return false
}

// sortAuthOptions puts the options that AuthSchemePreference names (by the
// name after the '#') first, in its order, and the rest after them in the
// resolver's order.
func sortAuthOptions(options []*smithyauth.Option, preferred []string) []*smithyauth.Option {
	if len(preferred) == 0 {
		return options
	}
	sorted := make([]*smithyauth.Option, 0, len(options))
	for _, name := range preferred {
		for _, option := range options {
			optName := option.SchemeID
			if _, after, ok := strings.Cut(option.SchemeID, "#"); ok {
				optName = after
			}
			if name == optName {
				sorted = append(sorted, option)
			}
		}
	}
	for _, option := range options {
		if !slices.ContainsFunc(sorted, func(o *smithyauth.Option) bool { return o.SchemeID == option.SchemeID }) {
			sorted = append(sorted, option)
		}
	}
	return sorted
}

// getIdentity is the GetIdentity middleware: it fetches the identity of the
// attempt's auth scheme, the credentials for SigV4, and records them among
// the call's secrets.
type getIdentity struct{ telemetry *telemetry }

func (*getIdentity) ID() string { return "GetIdentity" }

func (m *getIdentity) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
	middleware.FinalizeOutput, middleware.Metadata, error,
) {
	attempt, scheme, err := resolvedAttemptOf(ctx)
	if err != nil {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, err
	}
	if _, anonymous := scheme.identityResolver.(*smithyauth.AnonymousIdentityResolver); anonymous {
		attempt.identity = &smithyauth.AnonymousIdentity{}
		return next.HandleFinalize(ctx, in)
	}

	_, span := tracing.StartSpan(ctx, "GetIdentity")
	start := m.telemetry.start()
	if r, ok := scheme.identityResolver.(*credentialsResolver); ok {
		// The client's own resolver: the credentials go into the call's
		// state, not into a new identity per attempt.
		var creds aws.Credentials
		if creds, err = r.provider.Retrieve(ctx); err == nil {
			attempt.credentials = credentialsIdentity{creds}
			attempt.identity = &attempt.credentials
		} else {
			err = fmt.Errorf("get credentials: %w", err)
		}
	} else {
		attempt.identity, err = scheme.identityResolver.GetIdentity(ctx, scheme.identityProperties)
	}
	m.telemetry.since(ctx, m.telemetry.resolveIdentityDuration, start)
	span.End()
	if err != nil {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, fmt.Errorf("get identity: %w", err)
	}
	if c, ok := attempt.identity.(*credentialsIdentity); ok {
		getCallSecrets(ctx).setCredentials(c.Credentials)
	}
	return next.HandleFinalize(ctx, in)
}
