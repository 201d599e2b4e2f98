package amplifyuibuilder

import (
	"context"
	"fmt"

	"github.com/aws/smithy-go/middleware"

	"github.com/uibuilder-go/amplifyuibuilder/internal/model"
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
	model.RefreshToken.FormatInput(f, verb, "amplifyuibuilder.RefreshTokenInput", v.Provider, v.RefreshTokenBody)
}

// Format prints the output with the access token redacted.
func (v RefreshTokenOutput) Format(f fmt.State, verb rune) {
	model.RefreshTokenOutput.FormatValues(f, verb, "amplifyuibuilder.RefreshTokenOutput", v.AccessToken, v.ExpiresIn)
}

var refreshTokenOperation = &operation{
	id:         opRefreshToken,
	model:      model.RefreshToken,
	spanName:   ServiceID + ".RefreshToken",
	knownPaths: knownPaths(model.RefreshToken),
	bind: func(input any) boundInput {
		in := input.(*RefreshTokenInput)
		r := boundInput{label: string(in.Provider), hasPayload: in.RefreshTokenBody != nil}
		if b := in.RefreshTokenBody; b != nil {
			// The order of model.RefreshTokenRequestBody.Members.
			r.members = [model.MaxMembers]*string{b.Token, b.ClientId}
		}
		return r
	},
	deserialize: func(body string) (any, error) {
		// The output and its members' values in one allocation.
		// RefreshToken answers with no refresh token: the caller keeps its own.
		v := &struct {
			out    RefreshTokenOutput
			values tokenValues
		}{}
		return &v.out, decodeTokenResponse(body, &v.values, &v.out.AccessToken, &v.out.ExpiresIn, nil)
	},
}
