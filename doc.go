// Package amplifyuibuilder is a client for the AWS Amplify UI Builder token
// operations: ExchangeCodeForToken, which trades a third-party (Figma)
// authorization code for an access token and a refresh token, and
// RefreshToken, which trades the refresh token for a new access token. Go
// services behind Amplify Studio use it to connect a user's Figma account.
//
// It is a drop-in for github.com/aws/aws-sdk-go-v2/service/amplifyuibuilder
// for these operations: the same names, options, errors and wire behaviour,
// built on aws-sdk-go-v2 and smithy-go, so code written for that package
// compiles against this one after changing only the import paths. On top of
// it, secrets (authorization codes, client ids, tokens, credentials) are
// redacted wherever the client prints or logs them, response bodies are read
// up to a limit, and calls run through a middleware chain linked once per
// client instead of building a stack each, unless they are given option
// functions.
//
// # Making a call
//
// Load the AWS configuration, make one client and share it (it is safe for
// concurrent use), and call:
//
//	cfg, err := config.LoadDefaultConfig(ctx) // region and credentials, as for every AWS SDK
//	if err != nil {
//		return err
//	}
//	client := amplifyuibuilder.NewFromConfig(cfg) // once, at start
//	out, err := client.ExchangeCodeForToken(ctx, &amplifyuibuilder.ExchangeCodeForTokenInput{
//		Provider: types.TokenProvidersFigma,
//		Request:  &types.ExchangeCodeForTokenRequestBody{Code: aws.String(code), RedirectUri: aws.String(redirectURI)},
//	})
//	if err != nil {
//		return err
//	}
//	return save(out.AccessToken, out.RefreshToken, out.ExpiresIn) // expiresIn: seconds
//
// (readme_test.go compiles these lines, as it compiles the README's.)
//
// An authorization code is single-use: the client retries throttling, 5xx
// answers and connection errors, but if the exchange still fails, send the
// user through Figma's authorization again rather than retrying it.
//
// Every error a call returns is a *smithy.OperationError. An error the
// service sent unwraps to an *awshttp.ResponseError (status code, request
// id) and to *types.InvalidParameterException or a smithy.APIError.
//
// # Where to go next
//
//   - [github.com/uibuilder-go/amplifyuibuilder/types]: the operations'
//     shapes and the modeled error, InvalidParameterException.
//   - [github.com/uibuilder-go/amplifyuibuilder/tokensource]: a Source that
//     keeps a valid access token at hand, exchanging the code once and
//     refreshing before expiry; it also serves golang.org/x/oauth2.
//   - [github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest]: a
//     local endpoint on loopback, in the spirit of net/http/httptest, that
//     serves both operations as the service does, checks SigV4, issues
//     codes and injects faults; Server.Client returns a client for it.
//   - [github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildermock]: a
//     testify mock of ExchangeCodeForTokenAPI and RefreshTokenAPI, for unit
//     tests without HTTP.
//   - [github.com/uibuilder-go/amplifyuibuilder/slogadapter]: routes the
//     client's log lines (logged at slog.LevelDebug) into a *slog.Logger.
//   - The command amplifyuibuilder (cmd/amplifyuibuilder): both operations
//     from the shell with the AWS CLI's options, output and exit codes;
//     "amplifyuibuilder serve" runs the local endpoint, and
//     "go run ./cmd/amplifyuibuilder demo" does the whole exchange end to end
//     on this machine, with no AWS account.
//
// Take the one-method interfaces ExchangeCodeForTokenAPI and
// RefreshTokenAPI in your own code, so that tests can pass either.
package amplifyuibuilder

import smithydocument "github.com/aws/smithy-go/document"

// noSmithyDocumentSerde marks the shapes as not being smithy documents, as
// the aws-sdk-go-v2 shapes are.
type noSmithyDocumentSerde = smithydocument.NoSerde
