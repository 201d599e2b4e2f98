package amplifyuibuilder

import (
	"context"
	"fmt"

	"github.com/aws/smithy-go/middleware"

	"github.com/uibuilder-go/amplifyuibuilder/internal/redact"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// RefreshToken exchanges a refresh token that ExchangeCodeForToken returned
// for a new access token. The service returns no new refresh token: keep
// using the one you have.
//
// Option functions apply to this call only.
func (c *Client) RefreshToken(ctx context.Context, params *RefreshTokenInput, optFns ...func(*Options)) (*RefreshTokenOutput, error) {
	if params == nil {
		params = &RefreshTokenInput{}
	}
	result, metadata, err := c.invoke(ctx, refreshTokenOperation, params, optFns)
	if err != nil {
		return nil, err
	}
	out := result.(*RefreshTokenOutput)
	out.ResultMetadata = metadata
	return out, nil
}

// RefreshTokenInput is the input of RefreshToken.
type RefreshTokenInput struct {

	// The third-party provider for the token. The only valid value is figma.
	//
	// This member is required.
	Provider types.TokenProviders

	// The refresh token and, optionally, the client id.
	//
	// This member is required.
	RefreshTokenBody *types.RefreshTokenRequestBody

	noSmithyDocumentSerde
}

// RefreshTokenOutput is the result of RefreshToken.
type RefreshTokenOutput struct {

	// The access token.
	AccessToken *string

	// How many seconds the access token stays valid, from when it was issued.
	ExpiresIn *int32

	// Metadata pertaining to the operation's result.
	ResultMetadata middleware.Metadata

	noSmithyDocumentSerde
}

// Format prints the input with the refresh token and client id redacted.
func (v RefreshTokenInput) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "amplifyuibuilder.RefreshTokenInput",
		redact.Field{Name: "Provider", Value: v.Provider},
		redact.Field{Name: "RefreshTokenBody", Value: v.RefreshTokenBody},
	)
}

// Format prints the output with the access token redacted.
func (v RefreshTokenOutput) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "amplifyuibuilder.RefreshTokenOutput",
		redact.Field{Name: "AccessToken", Value: v.AccessToken, Secret: true},
		redact.Field{Name: "ExpiresIn", Value: v.ExpiresIn},
	)
}

var refreshTokenOperation = &operation{
	id:       opRefreshToken,
	name:     "RefreshToken",
	spanName: ServiceID + ".RefreshToken",
	describe: func(input any) tokenRequest {
		in := input.(*RefreshTokenInput)
		r := tokenRequest{
			inputName: "RefreshTokenInput", pathSuffix: "/refresh", provider: in.Provider,
			bodyField: "RefreshTokenBody", bodyName: "RefreshTokenRequestBody", hasBody: in.RefreshTokenBody != nil,
		}
		if b := in.RefreshTokenBody; b != nil {
			r.members = [maxBodyMembers]bodyMember{
				{key: "clientId", field: "ClientId", value: b.ClientId},
				{key: "token", field: "Token", value: b.Token, required: true},
			}
		}
		return r
	},
	deserialize: func(body []byte) (any, error) {
		out := &RefreshTokenOutput{}
		// RefreshToken answers with no refresh token: the caller keeps its own.
		return out, decodeTokenResponse(body, &out.AccessToken, &out.ExpiresIn, nil)
	},
}
