package amplifyuibuilder

import "context"

// ExchangeCodeForTokenAPI is the ExchangeCodeForToken method of *Client. Code
// that takes this interface instead of *Client can be given, in its tests,
// a client pointed at an amplifyuibuildertest.Server or an
// amplifyuibuildermock.Client.
type ExchangeCodeForTokenAPI interface {
	ExchangeCodeForToken(ctx context.Context, params *ExchangeCodeForTokenInput, optFns ...func(*Options)) (*ExchangeCodeForTokenOutput, error)
}

// RefreshTokenAPI is the RefreshToken method of *Client, for the same use as
// ExchangeCodeForTokenAPI.
type RefreshTokenAPI interface {
	RefreshToken(ctx context.Context, params *RefreshTokenInput, optFns ...func(*Options)) (*RefreshTokenOutput, error)
}

var (
	_ ExchangeCodeForTokenAPI = (*Client)(nil)
	_ RefreshTokenAPI         = (*Client)(nil)
)
