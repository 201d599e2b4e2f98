package tokensource

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/internal/redact"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// Tokens is what a Source holds, in the form a caller stores it: Tokens
// reads it, WithTokenHook hands it over after each renewal, and FromTokens
// builds a Source from it again. Printing it with any fmt verb shows
// [REDACTED] in place of each token that is set.
type Tokens struct {
	// AccessToken is the current access token; empty when there is none
	// yet.
	AccessToken string
	// RefreshToken renews the access token. Store it: it stays valid across
	// refreshes (the service returns no new one) until the user revokes the
	// connection.
	RefreshToken string
	// Expiry is when AccessToken expires; zero when the service gave it no
	// lifetime.
	Expiry time.Time
}

// Format prints t with its tokens redacted, for every verb.
func (t Tokens) Format(f fmt.State, verb rune) {
	secret := func(v string) *string {
		if v == "" {
			return nil
		}
		return &v
	}
	redact.Format(f, verb, "tokensource.Tokens",
		redact.Field{Name: "AccessToken", Value: secret(t.AccessToken), Secret: true},
		redact.Field{Name: "RefreshToken", Value: secret(t.RefreshToken), Secret: true},
		redact.Field{Name: "Expiry", Value: t.Expiry},
	)
}

// FromTokens returns a Source that starts with tokens stored earlier: it
// uses tokens.AccessToken until the expiry margin before tokens.Expiry (for
// ever if Expiry is zero), then refreshes with tokens.RefreshToken. With no
// access token, its first use refreshes.
func FromTokens(client Client, provider types.TokenProviders, tokens Tokens, opts ...Option) *Source {
	s := newSource(client, provider, opts)
	if tokens.RefreshToken != "" {
		s.refreshToken = aws.String(tokens.RefreshToken)
	}
	s.accessToken = tokens.AccessToken
	s.expiry = tokens.Expiry
	if !tokens.Expiry.IsZero() {
		s.renewAt = tokens.Expiry.Add(-s.margin)
	}
	return s
}

// FromExchange returns a Source seeded with the answer of an
// ExchangeCodeForToken call that the caller made, sent at issued: it uses
// out's access token, with out.ExpiresIn counted from issued, as FromCode
// would after its own exchange, and sends nothing until that token is due
// for renewal. A nil out, or one without an access token, leaves the first
// use to refresh with out's refresh token.
func FromExchange(client Client, provider types.TokenProviders, out *amplifyuibuilder.ExchangeCodeForTokenOutput, issued time.Time, opts ...Option) *Source {
	s := newSource(client, provider, opts)
	if out != nil {
		// keep only fails for want of an access token, and then the first
		// use refreshes, or says there is no refresh token.
		_, _ = s.keep(issued, out.AccessToken, out.ExpiresIn, out.RefreshToken)
	}
	return s
}

// Tokens returns what the Source holds now: the access token, the refresh
// token (to store, for FromTokens or FromRefreshToken later) and the access
// token's expiry. It sends nothing; call Token first for a valid access
// token.
func (s *Source) Tokens() Tokens {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Tokens{AccessToken: s.accessToken, RefreshToken: aws.ToString(s.refreshToken), Expiry: s.expiry}
}

// Format prints s with its code, client id and tokens redacted, for every
// verb: the provider, which secrets it holds, and the access token's expiry.
// A Source logged or printed by mistake shows no secret.
func (s *Source) Format(f fmt.State, verb rune) {
	s.mu.Lock()
	code, refreshToken, expiry := s.code, s.refreshToken, s.expiry
	var accessToken *string
	if s.accessToken != "" {
		accessToken = &s.accessToken
	}
	s.mu.Unlock()
	redact.Format(f, verb, "tokensource.Source",
		redact.Field{Name: "Provider", Value: s.provider},
		redact.Field{Name: "ClientID", Value: s.clientID, Secret: true},
		redact.Field{Name: "Code", Value: code, Secret: true},
		redact.Field{Name: "AccessToken", Value: accessToken, Secret: true},
		redact.Field{Name: "RefreshToken", Value: refreshToken, Secret: true},
		redact.Field{Name: "Expiry", Value: expiry},
	)
}
