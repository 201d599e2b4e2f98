// Package tokensource keeps a valid third-party access token at hand: it
// exchanges an authorization code once, then refreshes the access token with
// the refresh token whenever it is about to expire.
//
// A Source is safe for concurrent use. Callers that ask at the same time
// while the token must be renewed share one renewal. A failed renewal returns
// its error to the callers that waited for it and leaves the Source ready to
// try again on the next call.
//
// OAuth2 adapts a Source to golang.org/x/oauth2, so that oauth2.NewClient can
// call the provider's API (Figma's) with the token.
package tokensource

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"golang.org/x/oauth2"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// DefaultExpiryMargin is how long before its expiry an access token is
// renewed, unless WithExpiryMargin says otherwise.
const DefaultExpiryMargin = time.Minute

// Client is what a Source needs of an Amplify UI Builder client;
// *amplifyuibuilder.Client satisfies it, and so does a mock.
type Client interface {
	ExchangeCodeForToken(context.Context, *amplifyuibuilder.ExchangeCodeForTokenInput, ...func(*amplifyuibuilder.Options)) (*amplifyuibuilder.ExchangeCodeForTokenOutput, error)
	RefreshToken(context.Context, *amplifyuibuilder.RefreshTokenInput, ...func(*amplifyuibuilder.Options)) (*amplifyuibuilder.RefreshTokenOutput, error)
}

// Source returns a valid access token, exchanging or refreshing as needed.
type Source struct {
	client   Client
	provider types.TokenProviders
	clientID *string
	margin   time.Duration
	now      func() time.Time

	mu sync.Mutex
	// code and redirectURI are set until the code has been exchanged.
	code, redirectURI string
	refreshToken      string
	accessToken       string
	expiry            time.Time // zero: the service gave no lifetime
	renewal           *renewal  // the renewal in flight, if any
}

// renewal is one exchange or refresh, shared by the callers waiting for it.
type renewal struct {
	done  chan struct{}
	token *oauth2.Token
	err   error
}

// Option configures a Source.
type Option func(*Source)

// WithClientID sends clientID with every exchange and refresh.
func WithClientID(clientID string) Option {
	return func(s *Source) { s.clientID = aws.String(clientID) }
}

// WithExpiryMargin renews the access token when it expires within margin.
func WithExpiryMargin(margin time.Duration) Option {
	return func(s *Source) { s.margin = margin }
}

// WithClock replaces time.Now, for tests.
func WithClock(now func() time.Time) Option {
	return func(s *Source) { s.now = now }
}

// FromCode returns a Source that exchanges code, issued by the provider for
// redirectURI, on first use. An authorization code is single-use: if the
// exchange fails with *types.InvalidParameterException, the code is spent or
// was never valid, and the user must authorize again.
func FromCode(client Client, provider types.TokenProviders, code, redirectURI string, opts ...Option) *Source {
	s := newSource(client, provider, opts)
	s.code, s.redirectURI = code, redirectURI
	return s
}

// FromRefreshToken returns a Source that starts from a refresh token that an
// earlier exchange returned.
func FromRefreshToken(client Client, provider types.TokenProviders, refreshToken string, opts ...Option) *Source {
	s := newSource(client, provider, opts)
	s.refreshToken = refreshToken
	return s
}

func newSource(client Client, provider types.TokenProviders, opts []Option) *Source {
	s := &Source{client: client, provider: provider, margin: DefaultExpiryMargin, now: time.Now}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// Token returns an access token valid for at least the expiry margin,
// renewing it first if needed.
func (s *Source) Token(ctx context.Context) (string, error) {
	t, err := s.token(ctx)
	return t.AccessToken, err
}

// token returns the current token as an oauth2.Token, renewing it first if
// needed. A token just renewed is returned even if the service gave it a
// lifetime shorter than the margin: it is the freshest there is.
func (s *Source) token(ctx context.Context) (*oauth2.Token, error) {
	for {
		s.mu.Lock()
		if s.fresh() {
			t := s.current()
			s.mu.Unlock()
			return t, nil
		}
		if r := s.renewal; r != nil {
			s.mu.Unlock()
			select {
			case <-r.done:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			// The renewal we waited for was cut short by its own caller's
			// context: ours is still alive, so try again.
			if r.err != nil && isContextError(r.err) && ctx.Err() == nil {
				continue
			}
			return r.token, r.err
		}
		r := &renewal{done: make(chan struct{})}
		s.renewal = r
		s.mu.Unlock()

		r.token, r.err = s.renew(ctx)

		s.mu.Lock()
		s.renewal = nil
		s.mu.Unlock()
		close(r.done)
		return r.token, r.err
	}
}

// fresh reports whether the access token is set and outside the expiry
// margin. Call with s.mu held.
func (s *Source) fresh() bool {
	if s.accessToken == "" {
		return false
	}
	return s.expiry.IsZero() || s.now().Before(s.expiry.Add(-s.margin))
}

// current returns the access token as an oauth2.Token. Call with s.mu held.
func (s *Source) current() *oauth2.Token {
	return &oauth2.Token{AccessToken: s.accessToken, TokenType: "Bearer", Expiry: s.expiry}
}

// renew exchanges the code, or refreshes the access token, stores the result
// and returns it. Only one renew runs at a time.
func (s *Source) renew(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	code, redirectURI, refreshToken := s.code, s.redirectURI, s.refreshToken
	s.mu.Unlock()

	if code != "" {
		out, err := s.client.ExchangeCodeForToken(ctx, &amplifyuibuilder.ExchangeCodeForTokenInput{
			Provider: s.provider,
			Request: &types.ExchangeCodeForTokenRequestBody{
				Code: aws.String(code), RedirectUri: aws.String(redirectURI), ClientId: s.clientID,
			},
		})
		if err != nil {
			return nil, err
		}
		return s.store(out.AccessToken, out.ExpiresIn, out.RefreshToken)
	}
	if refreshToken == "" {
		return nil, errors.New("tokensource: no authorization code or refresh token to renew the access token with")
	}
	out, err := s.client.RefreshToken(ctx, &amplifyuibuilder.RefreshTokenInput{
		Provider:         s.provider,
		RefreshTokenBody: &types.RefreshTokenRequestBody{Token: aws.String(refreshToken), ClientId: s.clientID},
	})
	if err != nil {
		return nil, err
	}
	// RefreshToken returns no refresh token: the one we have stays valid.
	return s.store(out.AccessToken, out.ExpiresIn, nil)
}

// ErrNoAccessToken reports a successful response that carried no access
// token.
var ErrNoAccessToken = errors.New("tokensource: the service returned no access token")

// store keeps a new access token and returns it; the code, once exchanged,
// is forgotten.
func (s *Source) store(accessToken *string, expiresIn *int32, refreshToken *string) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.code, s.redirectURI = "", ""
	if refreshToken != nil && *refreshToken != "" {
		s.refreshToken = *refreshToken
	}
	if aws.ToString(accessToken) == "" {
		s.accessToken = ""
		return nil, ErrNoAccessToken
	}
	s.accessToken = *accessToken
	s.expiry = time.Time{}
	if expiresIn != nil {
		s.expiry = s.now().Add(time.Duration(*expiresIn) * time.Second)
	}
	return s.current(), nil
}

func isContextError(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// OAuth2 returns an oauth2.TokenSource backed by s; renewals use ctx. Give it
// to oauth2.NewClient to call the provider's API with the access token.
func (s *Source) OAuth2(ctx context.Context) oauth2.TokenSource {
	return oauth2Source{s: s, ctx: ctx}
}

type oauth2Source struct {
	s   *Source
	ctx context.Context
}

// Token returns the current access token as a Bearer oauth2.Token.
func (o oauth2Source) Token() (*oauth2.Token, error) {
	return o.s.token(o.ctx)
}
