// Package amplifyuibuilder is a client for the AWS Amplify UI Builder token
// operations: ExchangeCodeForToken, which trades a third-party (Figma)
// authorization code for an access token and a refresh token, and
// RefreshToken, which trades the refresh token for a new access token.
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
// Every error a call returns is a *smithy.OperationError. An error the
// service sent unwraps to an *awshttp.ResponseError (status code, request
// id) and to *types.InvalidParameterException or a smithy.APIError.
package amplifyuibuilder

import smithydocument "github.com/aws/smithy-go/document"

// noSmithyDocumentSerde marks the shapes as not being smithy documents, as
// the aws-sdk-go-v2 shapes are.
type noSmithyDocumentSerde = smithydocument.NoSerde
