// Package tokensource keeps a valid third-party access token at hand. A
// Source starts from an authorization code, which it exchanges on first use
// (FromCode), from the answer of an exchange already made (FromExchange),
// from tokens stored earlier (FromTokens) or from a refresh token alone
// (FromRefreshToken), and refreshes the access token with the refresh token
// whenever it comes within a margin of its expiry. WithTokenHook tells the
// caller of every new token, so that it can be stored; Tokens reads what the
// Source holds, the refresh token included.
//
// A Source is safe for concurrent use. Callers that ask while the token must
// be renewed share one renewal: one request to the service, however many
// ask.
//
// A refresh can fail in two ways. A transient failure (throttling, a 5xx, a
// lost connection, an answer without an access token) while the current
// access token has not yet expired is not an error: Token keeps returning the
// current token, and tries again on a later call, after a pause that starts
// at one second and doubles with each further failure, up to a minute, so
// that a service in trouble is not asked on every call. Once the access
// token has expired, every call tries, and a failure is its error. A
// permanent refusal, *types.InvalidParameterException (the refresh token was
// revoked or is not valid), is remembered: that call and every later one
// return it, wrapped in ErrRefreshRefused, without a request, until the
// caller builds a new Source (after the user authorized again).
//
// An authorization code is single-use, and a Source presents its code to the
// service once. If that exchange fails, the service may have consumed the
// code even so, and the Source gives up: its errors wrap ErrCodeSpent. Send
// the user through the provider's authorization again and build a new Source
// from the new code. Only an exchange that failed before a byte of its
// request was written (the client refused the input, no connection could be
// made, the context ended first) leaves the code for a later call.
//
// OAuth2 adapts a Source to golang.org/x/oauth2, so that oauth2.NewClient can
// call the provider's API (Figma's) with the access token.
package tokensource

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	smithy "github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"golang.org/x/oauth2"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// DefaultExpiryMargin is how long before its expiry an access token is
// renewed, unless WithExpiryMargin says otherwise.
const DefaultExpiryMargin = time.Minute

var (
	// ErrCodeSpent is wrapped by every error of a Source whose exchange of
	// its authorization code failed. The error it wraps besides says why:
	// *types.InvalidParameterException when the service refused the code
	// (already used, expired, issued for another redirect URI), or any other
	// error of the call, after which the service may have consumed the code
	// all the same. The Source does not send the code again: the user must
	// authorize again, for a new code and a new Source.
	ErrCodeSpent = errors.New("tokensource: the authorization code was spent in an exchange that failed; the user must authorize again")

	// ErrNoAccessToken is returned when the service answered a renewal with
	// success but without an access token. The Source tries again on the
	// next call if it has a refresh token.
	ErrNoAccessToken = errors.New("tokensource: the service returned no access token")

	// ErrNoRefreshToken is returned when the access token must be renewed
	// but the exchange of the code returned no refresh token to renew it
	// with: the user must authorize again.
	ErrNoRefreshToken = errors.New("tokensource: no refresh token to renew the access token with")

	// ErrRefreshRefused is wrapped by every error of a Source whose
	// refresh token the service refused (*types.InvalidParameterException,
	// wrapped too): the refresh token was revoked or is not valid. The Source
	// sends no further request; the user must authorize again, for a new
	// Source.
	ErrRefreshRefused = errors.New("tokensource: the service refused the refresh token; the user must authorize again")

	// errRenewalAborted is what callers that waited for a renewal get if
	// the renewal stopped without a result, as when the client panics.
	errRenewalAborted = errors.New("tokensource: the renewal stopped without a result")
)

// Client is what a Source needs of an Amplify UI Builder client: both token
// operations. *amplifyuibuilder.Client satisfies it, and so does
// *amplifyuibuildermock.Client.
type Client interface {
	amplifyuibuilder.ExchangeCodeForTokenAPI
	amplifyuibuilder.RefreshTokenAPI
}

// Source returns a valid access token, exchanging the authorization code or
// refreshing the access token as needed. Build it with FromCode,
// FromExchange, FromTokens or FromRefreshToken.
type Source struct {
	client   Client
	provider types.TokenProviders
	clientID *string
	margin   time.Duration
	now      func() time.Time
	hook     func(context.Context, Tokens)

	mu sync.Mutex
	// code and redirectURI are set until the code has been presented to
	// the service.
	code, redirectURI *string
	// codeErr is why the exchange of the code gave nothing to go on with;
	// every later renewal returns it.
	codeErr error
	// refused is why the service refused the refresh token; every later
	// renewal returns it.
	refused      error
	refreshToken *string
	accessToken  string
	// expiry is when accessToken expires, and renewAt when it is to be
	// renewed; both zero when the service gave it no lifetime, and it is
	// never renewed.
	expiry, renewAt time.Time
	// failures counts the transient refresh failures since the last
	// success, and retryAt is when the next refresh may be tried while the
	// access token is still valid.
	failures int
	retryAt  time.Time
	renewal  *renewal // the renewal in flight, if any
}

// renewal is one exchange or refresh, shared by the callers waiting for it.
type renewal struct {
	done  chan struct{}
	token oauth2.Token
	err   error
	// transient reports a failed refresh after which the current access
	// token, while still valid, is the answer.
	transient bool
	// callerGaveUp reports that the renewal failed because the context of
	// the call that ran it ended: a waiting caller whose context is alive
	// tries again rather than take that error.
	callerGaveUp bool
}

// Option configures a Source.
type Option func(*Source)

// WithClientID sends clientID with the exchange and every refresh.
func WithClientID(clientID string) Option {
	return func(s *Source) { s.clientID = aws.String(clientID) }
}

// WithExpiryMargin renews the access token when it expires within margin
// (DefaultExpiryMargin otherwise), or when half its lifetime is over if that
// comes sooner, so that a token with a lifetime shorter than the margin is
// not renewed on every call. A negative margin counts as zero.
func WithExpiryMargin(margin time.Duration) Option {
	return func(s *Source) { s.margin = max(margin, 0) }
}

// WithClock replaces time.Now as the clock that token lifetimes are counted
// on, so that a test can move time without sleeping. now must be safe for
// concurrent use.
func WithClock(now func() time.Time) Option {
	return func(s *Source) { s.now = now }
}

// WithTokenHook calls hook with what the Source holds after each exchange or
// refresh that gave it a new access token, so that the caller can store it
// (FromTokens builds a Source from it again). hook runs in the call of Token
// that made the renewal, with its context, before that call and the callers
// waiting for it return: keep it short. A hook may call the Source's methods:
// Token and Refresh, called with the context the hook gets, return the token
// it is told of. It is not called for the tokens a Source is built from.
func WithTokenHook(hook func(ctx context.Context, tokens Tokens)) Option {
	return func(s *Source) { s.hook = hook }
}

// FromCode returns a Source that exchanges code, issued by provider for
// redirectURI, on first use, and refreshes the access token with the refresh
// token the exchange returns.
func FromCode(client Client, provider types.TokenProviders, code, redirectURI string, opts ...Option) *Source {
	s := newSource(client, provider, opts)
	s.code, s.redirectURI = aws.String(code), aws.String(redirectURI)
	return s
}

// FromRefreshToken returns a Source that starts from a refresh token an
// earlier exchange returned: its first use refreshes.
func FromRefreshToken(client Client, provider types.TokenProviders, refreshToken string, opts ...Option) *Source {
	s := newSource(client, provider, opts)
	s.refreshToken = aws.String(refreshToken)
	return s
}

func newSource(client Client, provider types.TokenProviders, opts []Option) *Source {
	s := &Source{client: client, provider: provider, margin: DefaultExpiryMargin, now: time.Now}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// Token returns an access token that is not within the expiry margin,
// exchanging the code or refreshing first when there is none yet or the
// current one is. ctx bounds the wait for a renewal that another call
// started, and the request when this call makes it.
//
// An access token whose response carried no expiresIn, or zero, has no
// known expiry: as golang.org/x/oauth2 does for such a token, the Source
// keeps it and never renews it. A negative expiresIn is taken the same way
// (x/oauth2 would count the token as expired already, and ask for a new one
// on every call, as often as the service answers so).
func (s *Source) Token(ctx context.Context) (string, error) {
	tok, err := s.token(ctx, false)
	if err != nil {
		return "", err
	}
	return tok.AccessToken, nil
}

// Refresh renews the access token now, even if it is not yet due: it
// exchanges the code if that has not been done, else refreshes. It joins a
// renewal already in flight rather than start a second one. Unlike Token, it
// returns the error of a refresh that failed transiently, and the Source
// keeps its current access token.
func (s *Source) Refresh(ctx context.Context) error {
	_, err := s.token(ctx, true)
	return err
}

// token returns the current token, renewing it first if needed, or if force
// says so. A token just renewed is returned even if it is already due for
// renewal again: it is the freshest there is.
func (s *Source) token(ctx context.Context, force bool) (oauth2.Token, error) {
	for {
		s.mu.Lock()
		if !force && s.refused == nil && (s.fresh() || s.pausing()) {
			tok := s.current()
			s.mu.Unlock()
			return tok, nil
		}
		r := s.renewal
		if r != nil && ctx.Value(hookContextKey{s}) == r {
			// The token hook of r calls back: r has its result, and
			// waiting for r to end would wait for the hook itself.
			s.mu.Unlock()
			return s.outcome(r, force)
		}
		if r != nil {
			s.mu.Unlock()
			select {
			case <-r.done:
			case <-ctx.Done():
				return oauth2.Token{}, ctx.Err()
			}
			if r.callerGaveUp && ctx.Err() == nil {
				continue
			}
		} else {
			r = &renewal{done: make(chan struct{}), err: errRenewalAborted}
			s.renewal = r
			s.mu.Unlock()
			s.run(ctx, r)
		}
		return s.outcome(r, force)
	}
}

// outcome is what renewal r gives a caller of token. A transient failure
// gives the current access token while it is still valid, unless the caller
// forced the renewal.
func (s *Source) outcome(r *renewal, force bool) (oauth2.Token, error) {
	if r.err != nil && r.transient && !force {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.valid() {
			return s.current(), nil
		}
	}
	return r.token, r.err
}

// run makes renewal r, for this call and the callers waiting for it, and
// tells the hook of a new token before it lets them go. The deferred release
// lets them go even if the client or the hook panics.
func (s *Source) run(ctx context.Context, r *renewal) {
	defer func() {
		s.mu.Lock()
		s.renewal = nil
		s.mu.Unlock()
		close(r.done)
	}()
	r.token, r.transient, r.err = s.renew(ctx)
	r.callerGaveUp = r.err != nil && ctx.Err() != nil
	if r.err == nil && s.hook != nil {
		s.hook(context.WithValue(ctx, hookContextKey{s}, r), s.Tokens())
	}
}

// hookContextKey marks the context the token hook gets with the renewal it
// is called for, so that a hook that calls Token or Refresh on the same
// Source gets that renewal's result instead of waiting for itself.
type hookContextKey struct{ s *Source }

// fresh reports whether there is an access token that is not yet due for
// renewal. Call with s.mu held.
func (s *Source) fresh() bool {
	return s.accessToken != "" && (s.renewAt.IsZero() || s.now().Before(s.renewAt))
}

// valid reports whether there is an access token that has not expired.
// Call with s.mu held.
func (s *Source) valid() bool {
	return s.accessToken != "" && (s.expiry.IsZero() || s.now().Before(s.expiry))
}

// pausing reports whether a transient refresh failure asks to wait before
// the next try, and the access token is still valid to wait with. Call with s.mu held.
func (s *Source) pausing() bool {
	return s.valid() && s.now().Before(s.retryAt)
}

// current returns the access token as a Bearer oauth2.Token. Call with s.mu
// held.
func (s *Source) current() oauth2.Token {
	return oauth2.Token{AccessToken: s.accessToken, TokenType: "Bearer", Expiry: s.renewAt}
}

// renew exchanges the code if it has not been presented yet, else refreshes
// the access token. transient reports a failed refresh that a later call may
// try again while the current access token is still valid. Only one renew
// runs at a time.
func (s *Source) renew(ctx context.Context) (tok oauth2.Token, transient bool, err error) {
	// A context that has already ended would send nothing: keep the code
	// for a caller whose context is alive.
	if err := ctx.Err(); err != nil {
		return oauth2.Token{}, false, err
	}
	s.mu.Lock()
	code, redirectURI, codeErr, refused, refreshToken := s.code, s.redirectURI, s.codeErr, s.refused, s.refreshToken
	s.mu.Unlock()
	switch {
	case code != nil:
		tok, err := s.exchange(ctx, code, redirectURI)
		return tok, false, err
	case refused != nil:
		return oauth2.Token{}, false, refused
	case refreshToken != nil:
		return s.refresh(ctx, refreshToken)
	case codeErr != nil:
		return oauth2.Token{}, false, codeErr
	}
	return oauth2.Token{}, false, ErrNoRefreshToken
}

// exchange presents the code to the service, once: whatever the outcome,
// the code is spent, unless the call failed before a byte of any request
// was written (an input the client refused to send, a connection that
// could not be made, a context that ended first).
func (s *Source) exchange(ctx context.Context, code, redirectURI *string) (oauth2.Token, error) {
	issued := s.now()
	var written atomic.Bool
	traced := httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteHeaderField: func(string, []string) { written.Store(true) },
	})
	out, err := s.client.ExchangeCodeForToken(traced, &amplifyuibuilder.ExchangeCodeForTokenInput{
		Provider: s.provider,
		Request:  &types.ExchangeCodeForTokenRequestBody{Code: code, RedirectUri: redirectURI, ClientId: s.clientID},
	})
	var unsent smithy.InvalidParamsError
	if errors.As(err, &unsent) || (err != nil && !written.Load() && !answered(err)) {
		return oauth2.Token{}, err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.code, s.redirectURI = nil, nil
	if err == nil {
		if out == nil {
			out = &amplifyuibuilder.ExchangeCodeForTokenOutput{}
		}
		var tok oauth2.Token
		tok, err = s.keep(issued, out.AccessToken, out.ExpiresIn, out.RefreshToken)
		// Without an access token but with a refresh token, the next call
		// refreshes.
		if err == nil || s.refreshToken != nil {
			return tok, err
		}
	}
	s.codeErr = fmt.Errorf("%w: %w", ErrCodeSpent, err)
	return oauth2.Token{}, s.codeErr
}

// answered reports whether err carries an answer of the service, or of a
// client of the caller's own that sends no HTTP: then the code may have been
// presented, whatever the HTTP trace saw.
func answered(err error) bool {
	var apiErr smithy.APIError
	var respErr *smithyhttp.ResponseError
	return errors.As(err, &apiErr) || (errors.As(err, &respErr) && respErr.HTTPStatusCode() != 0)
}

// Pauses between refreshes that fail transiently while the access token is
// still valid: the first, doubled after each further failure, up to the
// longest.
const (
	firstRetryPause   = time.Second
	longestRetryPause = time.Minute
)

// refresh gets a new access token with the refresh token. The refresh token
// stays valid whatever the outcome, unless the service refuses it: then the
// Source remembers the refusal. Any other failure is transient.
func (s *Source) refresh(ctx context.Context, refreshToken *string) (tok oauth2.Token, transient bool, err error) {
	issued := s.now()
	out, err := s.client.RefreshToken(ctx, &amplifyuibuilder.RefreshTokenInput{
		Provider:         s.provider,
		RefreshTokenBody: &types.RefreshTokenRequestBody{Token: refreshToken, ClientId: s.clientID},
	})
	var unsent smithy.InvalidParamsError
	if errors.As(err, &unsent) || (err != nil && ctx.Err() != nil) {
		// Nothing was asked of the service, or the caller gave up: neither
		// says anything of the refresh token.
		return oauth2.Token{}, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var invalid *types.InvalidParameterException
	if errors.As(err, &invalid) {
		s.refused = fmt.Errorf("%w: %w", ErrRefreshRefused, err)
		return oauth2.Token{}, false, s.refused
	}
	if err == nil {
		if out == nil {
			out = &amplifyuibuilder.RefreshTokenOutput{}
		}
		// The answer carries no refresh token: the Source keeps the one it
		// has.
		if tok, err = s.keep(issued, out.AccessToken, out.ExpiresIn, nil); err == nil {
			s.failures, s.retryAt = 0, time.Time{}
			return tok, false, nil
		}
	}
	s.retryAt = s.now().Add(min(firstRetryPause<<min(s.failures, 8), longestRetryPause))
	s.failures++
	return oauth2.Token{}, true, err
}

// keep stores what a renewal returned: the refresh token, if there is one,
// and the access token, which it returns. issued is when the request was
// sent: the lifetime is counted from then, not from when the answer arrived.
// Call with s.mu held.
func (s *Source) keep(issued time.Time, accessToken *string, expiresIn *int32, refreshToken *string) (oauth2.Token, error) {
	if aws.ToString(refreshToken) != "" {
		s.refreshToken = aws.String(*refreshToken)
	}
	if aws.ToString(accessToken) == "" {
		return oauth2.Token{}, ErrNoAccessToken
	}
	s.accessToken = *accessToken
	s.expiry, s.renewAt = time.Time{}, time.Time{}
	if lifetime := time.Duration(aws.ToInt32(expiresIn)) * time.Second; lifetime > 0 {
		s.expiry = issued.Add(lifetime)
		s.renewAt = issued.Add(lifetime - min(s.margin, lifetime/2))
	}
	return s.current(), nil
}

// OAuth2 returns s as an oauth2.TokenSource whose renewals use ctx: give it
// to oauth2.NewClient to call the provider's API with the access token.
//
// Its tokens are Bearer tokens that carry the access token and never the
// refresh token. Their Expiry is when the Source will renew them (zero when
// the service gave no lifetime), so that the oauth2.ReuseTokenSource that
// oauth2.NewClient puts in front of it comes back to the Source in time.
func (s *Source) OAuth2(ctx context.Context) oauth2.TokenSource {
	return oauth2Source{s: s, ctx: ctx}
}

type oauth2Source struct {
	s   *Source
	ctx context.Context
}

// Token returns the Source's current access token, renewing it first if
// needed.
func (o oauth2Source) Token() (*oauth2.Token, error) {
	tok, err := o.s.token(o.ctx, false)
	if err != nil {
		return nil, err
	}
	return &tok, nil
}
