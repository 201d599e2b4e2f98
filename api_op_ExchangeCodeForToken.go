package amplifyuibuilder

import (
	"context"
	"fmt"

	"github.com/aws/smithy-go/middleware"

	"github.com/uibuilder-go/amplifyuibuilder/internal/model"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// ExchangeCodeForToken exchanges an authorization code that a third-party
// provider (Figma) issued for an access token and a refresh token.
//
// An authorization code is single-use. The client retries an attempt that
// failed in a way that may pass: a 500, 502, 503 or 504 answer, a 429 or
// throttling answer, or a connection error, including a connection reset
// while the answer is arriving. If the service had already consumed the code
// in that attempt and only its answer was lost, the retry fails with
// *types.InvalidParameterException. Other 4xx answers, a 200 whose body ends
// before its Content-Length or does not decode, and a cancelled or expired
// context are never retried.
//
// When the call fails, do not send the same code again, by hand or with more
// retries: unless the failure is an input validation error (nothing was
// sent), whether the service consumed the code cannot be known. Send the user
// through the provider's authorization again for a new code.
//
// Option functions apply to this call only.
func (c *Client) ExchangeCodeForToken(ctx context.Context, params *ExchangeCodeForTokenInput, optFns ...func(*Options)) (*ExchangeCodeForTokenOutput, error) {
	if params == nil {
		params = &ExchangeCodeForTokenInput{}
	}
	result, metadata, err := c.invoke(ctx, exchangeCodeForTokenOperation, params, optFns)
	if err != nil {
		return nil, err
	}
	out := result.(*ExchangeCodeForTokenOutput)
	out.ResultMetadata = metadata
	return out, nil
}

// ExchangeCodeForTokenInput is the input of ExchangeCodeForToken.
type ExchangeCodeForTokenInput struct {

	// The third-party provider for the token. The only valid value is figma.
	//
	// This member is required.
	Provider types.TokenProviders

	// The authorization code and the redirect URI it was issued for.
	//
	// This member is required.
	Request *types.ExchangeCodeForTokenRequestBody

	noSmithyDocumentSerde
}

// ExchangeCodeForTokenOutput is the result of ExchangeCodeForToken. The
// service always sends the three members; a nil member means the response
// did not carry it.
type ExchangeCodeForTokenOutput struct {

	// The access token.
	AccessToken *string

	// How many seconds the access token stays valid, from when it was issued.
	ExpiresIn *int32

	// The token to use to refresh a previously issued access token that might
	// have expired.
	RefreshToken *string

	// Metadata pertaining to the operation's result: the request id
	// (awsmiddleware.GetRequestIDMetadata) and the raw response among others.
	ResultMetadata middleware.Metadata

	noSmithyDocumentSerde
}

// Format prints the input with the authorization code and client id
// redacted, for every verb.
func (v ExchangeCodeForTokenInput) Format(f fmt.State, verb rune) {
	model.ExchangeCodeForToken.FormatInput(f, verb, "amplifyuibuilder.ExchangeCodeForTokenInput", v.Provider, v.Request)
}

// Format prints the output with the tokens redacted, for every verb.
func (v ExchangeCodeForTokenOutput) Format(f fmt.State, verb rune) {
	model.ExchangeCodeForTokenOutput.FormatValues(f, verb, "amplifyuibuilder.ExchangeCodeForTokenOutput",
		v.AccessToken, v.ExpiresIn, v.RefreshToken)
}

var exchangeCodeForTokenOperation = &operation{
	id:         opExchangeCodeForToken,
	model:      model.ExchangeCodeForToken,
	spanName:   ServiceID + ".ExchangeCodeForToken",
	knownPaths: knownPaths(model.ExchangeCodeForToken),
	bind: func(input any) boundInput {
		in := input.(*ExchangeCodeForTokenInput)
		r := boundInput{label: string(in.Provider), hasPayload: in.Request != nil}
		if b := in.Request; b != nil {
			// The order of model.ExchangeCodeForTokenRequestBody.Members.
			r.members = [model.MaxMembers]*string{b.Code, b.RedirectUri, b.ClientId}
		}
		return r
	},
	deserialize: func(body string) (any, error) {
		// The output and its members' values in one allocation.
		v := &struct {
			out    ExchangeCodeForTokenOutput
			values tokenValues
		}{}
		return &v.out, decodeTokenResponse(body, &v.values, &v.out.AccessToken, &v.out.ExpiresIn, &v.out.RefreshToken)
	},
}
