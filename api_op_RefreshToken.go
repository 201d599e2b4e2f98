package amplifyuibuilder

import (
	"context"
	"fmt"

	"github.com/aws/smithy-go/middleware"

	"github.com/uibuilder-go/amplifyuibuilder/internal/jsonwire"
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
	validate: func(input any) error {
		in := input.(*RefreshTokenInput)
		p := newInvalidParams("RefreshTokenInput")
		p.required(in.Provider == "", "Provider")
		p.required(in.RefreshTokenBody == nil, "RefreshTokenBody")
		if in.RefreshTokenBody != nil {
			body := newInvalidParams("RefreshTokenRequestBody")
			body.required(in.RefreshTokenBody.Token == nil, "Token")
			p.nested("RefreshTokenBody", body)
		}
		return p.err()
	},
	serialize: func(input any) (string, string, []byte, error) {
		in := input.(*RefreshTokenInput)
		path, rawPath, err := tokensPath(in.Provider, "/refresh")
		if err != nil {
			return "", "", nil, err
		}
		if in.RefreshTokenBody == nil {
			return "", "", nil, fmt.Errorf("input member RefreshTokenBody must not be nil")
		}
		return path, rawPath, serializeRefreshTokenBody(in.RefreshTokenBody), nil
	},
	deserialize: func(body []byte) (any, error) {
		out := &RefreshTokenOutput{}
		err := decodeObject(body, func(key, value []byte) (err error) {
			switch string(key) {
			case "accessToken":
				out.AccessToken, err = jsonwire.String(value)
			case "expiresIn":
				out.ExpiresIn, err = jsonwire.Int32(value)
			}
			if err != nil {
				return memberError(string(key), err)
			}
			return nil
		})
		return out, err
	},
}
