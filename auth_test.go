package amplifyuibuilder

import (
	"context"
	"sync"
	"testing"
	"time"

	smithy "github.com/aws/smithy-go"
	smithyauth "github.com/aws/smithy-go/auth"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordingAuthResolver offers the options given and records what it is asked.
type recordingAuthResolver struct {
	mu      sync.Mutex
	asked   []AuthResolverParameters
	options []*smithyauth.Option
}

func (r *recordingAuthResolver) ResolveAuthSchemes(_ context.Context, p *AuthResolverParameters) ([]*smithyauth.Option, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.asked = append(r.asked, *p)
	return r.options, nil
}

// headerScheme is an auth scheme of the caller's: it puts its identity's
// token into X-Test-Auth.
type headerScheme struct{}

type tokenIdentity string

func (tokenIdentity) Expiration() time.Time { return time.Time{} }

type tokenResolver struct{}

func (tokenResolver) GetIdentity(context.Context, smithy.Properties) (smithyauth.Identity, error) {
	return tokenIdentity("tok-1"), nil
}

type headerSigner struct{}

func (headerSigner) SignRequest(_ context.Context, r *smithyhttp.Request, id smithyauth.Identity, _ smithy.Properties) error {
	r.Header.Set("X-Test-Auth", string(id.(tokenIdentity)))
	return nil
}

func (headerScheme) SchemeID() string { return "test#header" }
func (headerScheme) IdentityResolver(smithyauth.IdentityResolverOptions) smithyauth.IdentityResolver {
	return tokenResolver{}
}
func (headerScheme) Signer() smithyhttp.Signer { return headerSigner{} }

func sigV4Option() *smithyauth.Option {
	var props smithy.Properties
	smithyhttp.SetSigV4SigningName(&props, signingName)
	smithyhttp.SetSigV4SigningRegion(&props, testRegion)
	return &smithyauth.Option{SchemeID: smithyauth.SchemeIDSigV4, SignerProperties: props}
}

// Options.AuthSchemeResolver is asked on every attempt, with the operation
// and region; the first option the client can serve wins, unless
// AuthSchemePreference names another; Options.AuthSchemes holds the schemes.
func TestAuthSchemeOptions(t *testing.T) {
	withSchemes := func(resolver AuthSchemeResolver, preference ...string) func(*Options) {
		return func(o *Options) {
			o.AuthSchemeResolver = resolver
			o.AuthSchemes = append(New(Options{}).Options().AuthSchemes, headerScheme{})
			o.AuthSchemePreference = preference
		}
	}
	t.Run("asked on every attempt", func(t *testing.T) {
		r := &recordingAuthResolver{options: []*smithyauth.Option{sigV4Option()}}
		c, rec := setup(t, failThenOK(1, 503, ""), withSchemes(r))
		_, err := exchange(t, c, exchangeInput())
		require.NoError(t, err)
		require.Len(t, rec.all(), 2)
		assert.Equal(t, []AuthResolverParameters{
			{Operation: "ExchangeCodeForToken", Region: testRegion}, {Operation: "ExchangeCodeForToken", Region: testRegion},
		}, r.asked)
		for _, req := range rec.all() {
			assert.Equal(t, resign(t, req, testRegion), req.Header.Get("Authorization"))
		}
	})
	t.Run("the resolver's order", func(t *testing.T) {
		r := &recordingAuthResolver{options: []*smithyauth.Option{sigV4Option(), {SchemeID: "test#header"}}}
		c, rec := setup(t, okTokens, withSchemes(r))
		_, err := exchange(t, c, exchangeInput())
		require.NoError(t, err)
		assert.NotEmpty(t, rec.all()[0].Header.Get("Authorization"))
		assert.Empty(t, rec.all()[0].Header.Get("X-Test-Auth"))
	})
	t.Run("preference first", func(t *testing.T) {
		r := &recordingAuthResolver{options: []*smithyauth.Option{sigV4Option(), {SchemeID: "test#header"}}}
		c, rec := setup(t, okTokens, withSchemes(r, "header"))
		_, err := exchange(t, c, exchangeInput())
		require.NoError(t, err)
		assert.Empty(t, rec.all()[0].Header.Get("Authorization"))
		assert.Equal(t, "tok-1", rec.all()[0].Header.Get("X-Test-Auth"))
	})
	t.Run("a scheme without an identity is skipped", func(t *testing.T) {
		r := &recordingAuthResolver{options: []*smithyauth.Option{sigV4Option()}}
		c, rec := setup(t, okTokens, withSchemes(r), func(o *Options) { o.Credentials = nil })
		_, err := exchange(t, c, exchangeInput())
		require.ErrorContains(t, err, "could not select an auth scheme")
		assert.Empty(t, rec.all(), "nothing is sent")
	})
	t.Run("the default falls back to unsigned without credentials", func(t *testing.T) {
		c, rec := setup(t, okTokens, func(o *Options) { o.Credentials = nil })
		_, err := exchange(t, c, exchangeInput())
		require.NoError(t, err)
		assert.Empty(t, rec.all()[0].Header.Get("Authorization"))
	})
}

// A stack function that hands the finalize step a context of its own gets an
// error, not a panic.
func TestFinalizeWithoutTheCallsContext(t *testing.T) {
	c, rec := setup(t, okTokens, WithAPIOptions(func(s *middleware.Stack) error {
		return s.Finalize.Insert(middleware.FinalizeMiddlewareFunc("detach", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
			middleware.FinalizeOutput, middleware.Metadata, error,
		) {
			return next.HandleFinalize(context.Background(), in)
		}), "ResolveAuthScheme", middleware.Before)
	}))
	_, err := exchange(t, c, exchangeInput())
	require.ErrorIs(t, err, errNoCallState)
	assert.Empty(t, rec.all())
}

// GetIdentity and Signing start from the scheme ResolveAuthScheme chose: with
// ResolveAuthScheme removed from the stack, the call fails before anything is
// sent, rather than signing with nothing.
func TestNoResolvedAuthSchemeSendsNothing(t *testing.T) {
	c, rec := setup(t, okTokens)
	_, err := exchange(t, c, exchangeInput(), func(o *Options) {
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			_, err := stack.Finalize.Remove("ResolveAuthScheme")
			return err
		})
	})
	require.Error(t, err)
	assert.ErrorContains(t, err, "no resolved auth scheme")
	assert.Empty(t, rec.all(), "a request went out without an auth scheme")
}
