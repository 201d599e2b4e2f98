package types

import (
	"fmt"

	smithydocument "github.com/aws/smithy-go/document"

	"github.com/uibuilder-go/amplifyuibuilder/internal/model"
)

// noSmithyDocumentSerde marks the shapes as not being smithy documents, as the
// aws-sdk-go-v2 shapes are.
type noSmithyDocumentSerde = smithydocument.NoSerde

// ExchangeCodeForTokenRequestBody is the JSON body of an ExchangeCodeForToken
// request: the authorization code the provider issued and the redirect URI it
// was issued for.
//
// Code and ClientId are secrets: formatting the struct with the fmt package
// prints a fixed marker in their place.
type ExchangeCodeForTokenRequestBody struct {

	// The access code to send in the request.
	//
	// This member is required.
	Code *string

	// The location of the application that will receive the access code.
	//
	// This member is required.
	RedirectUri *string

	// The ID of the client to request the token from.
	ClientId *string

	noSmithyDocumentSerde
}

// RefreshTokenRequestBody is the JSON body of a RefreshToken request: the
// refresh token an earlier exchange returned.
//
// Token and ClientId are secrets: formatting the struct with the fmt package
// prints a fixed marker in their place.
type RefreshTokenRequestBody struct {

	// The token to use to refresh a previously issued access token that might have
	// expired.
	//
	// This member is required.
	Token *string

	// The ID of the client to request the token from.
	ClientId *string

	noSmithyDocumentSerde
}

// Format prints the body with Code and ClientId redacted, for every verb and
// flag, so a logged or printed request never shows them.
func (v ExchangeCodeForTokenRequestBody) Format(f fmt.State, verb rune) {
	model.ExchangeCodeForTokenRequestBody.FormatValues(f, verb, "types.ExchangeCodeForTokenRequestBody",
		v.Code, v.RedirectUri, v.ClientId)
}

// Format prints the body with Token and ClientId redacted, for every verb and
// flag.
func (v RefreshTokenRequestBody) Format(f fmt.State, verb rune) {
	model.RefreshTokenRequestBody.FormatValues(f, verb, "types.RefreshTokenRequestBody", v.Token, v.ClientId)
}
