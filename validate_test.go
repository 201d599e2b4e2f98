package amplifyuibuilder

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	smithy "github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// requireMissingFields checks that err is the validation error of a call,
// found by errors.As both as the smithy.InvalidParamsError value the
// aws-sdk-go-v2 clients return and as a pointer, naming exactly want.
func requireMissingFields(t *testing.T, err error, operation string, want ...string) {
	t.Helper()
	requireOperationError(t, err, operation)

	var value smithy.InvalidParamsError
	require.ErrorAs(t, err, &value)
	var pointer *smithy.InvalidParamsError
	require.ErrorAs(t, err, &pointer)

	for _, params := range []smithy.InvalidParamsError{value, *pointer} {
		var fields []string
		for _, e := range params.Errs() {
			var required *smithy.ParamRequiredError
			require.True(t, errors.As(e, &required), "%T is a missing-field error", e)
			fields = append(fields, required.Field())
		}
		assert.ElementsMatch(t, want, fields)
	}
	for _, field := range want {
		assert.Contains(t, err.Error(), "missing required field, "+field+".")
	}
}

// TestValidation: a required member missing, at any level, fails the call
// with the validation error of the aws-sdk-go-v2 clients, naming every
// missing member, and sends nothing.
func TestValidation(t *testing.T) {
	exchangeBody := func(code, redirect *string) *types.ExchangeCodeForTokenRequestBody {
		return &types.ExchangeCodeForTokenRequestBody{Code: code, RedirectUri: redirect, ClientId: aws.String("client-1")}
	}
	cases := []struct {
		name  string
		input any // *ExchangeCodeForTokenInput or *RefreshTokenInput
		want  []string
	}{
		{"nil input", (*ExchangeCodeForTokenInput)(nil), []string{"ExchangeCodeForTokenInput.Provider", "ExchangeCodeForTokenInput.Request"}},
		{"empty input", &ExchangeCodeForTokenInput{}, []string{"ExchangeCodeForTokenInput.Provider", "ExchangeCodeForTokenInput.Request"}},
		{
			"empty provider",
			&ExchangeCodeForTokenInput{Request: exchangeBody(aws.String("c"), aws.String("r"))},
			[]string{"ExchangeCodeForTokenInput.Provider"},
		},
		{"nil request", &ExchangeCodeForTokenInput{Provider: types.TokenProvidersFigma}, []string{"ExchangeCodeForTokenInput.Request"}},
		{
			"nil code",
			&ExchangeCodeForTokenInput{Provider: types.TokenProvidersFigma, Request: exchangeBody(nil, aws.String("r"))},
			[]string{"ExchangeCodeForTokenInput.Request.Code"},
		},
		{
			"nil redirect uri",
			&ExchangeCodeForTokenInput{Provider: types.TokenProvidersFigma, Request: exchangeBody(aws.String("c"), nil)},
			[]string{"ExchangeCodeForTokenInput.Request.RedirectUri"},
		},
		{
			"everything missing at every level",
			&ExchangeCodeForTokenInput{Request: &types.ExchangeCodeForTokenRequestBody{}},
			[]string{
				"ExchangeCodeForTokenInput.Provider",
				"ExchangeCodeForTokenInput.Request.Code",
				"ExchangeCodeForTokenInput.Request.RedirectUri",
			},
		},
		{"nil refresh input", (*RefreshTokenInput)(nil), []string{"RefreshTokenInput.Provider", "RefreshTokenInput.RefreshTokenBody"}},
		{"empty refresh input", &RefreshTokenInput{}, []string{"RefreshTokenInput.Provider", "RefreshTokenInput.RefreshTokenBody"}},
		{
			"empty provider of a refresh",
			&RefreshTokenInput{RefreshTokenBody: &types.RefreshTokenRequestBody{Token: aws.String("t")}},
			[]string{"RefreshTokenInput.Provider"},
		},
		{"nil refresh token body", &RefreshTokenInput{Provider: types.TokenProvidersFigma}, []string{"RefreshTokenInput.RefreshTokenBody"}},
		{
			"nil token",
			&RefreshTokenInput{Provider: types.TokenProvidersFigma, RefreshTokenBody: &types.RefreshTokenRequestBody{ClientId: aws.String("c")}},
			[]string{"RefreshTokenInput.RefreshTokenBody.Token"},
		},
		{
			"everything missing at every level of a refresh",
			&RefreshTokenInput{RefreshTokenBody: &types.RefreshTokenRequestBody{}},
			[]string{"RefreshTokenInput.Provider", "RefreshTokenInput.RefreshTokenBody.Token"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, rec := setup(t, okTokens)
			out, err := callInput(t, c, tc.input)
			assert.Nil(t, out)
			requireMissingFields(t, err, operationOf(tc.input), tc.want...)
			assert.Empty(t, rec.all(), "nothing is sent")
		})
	}
}

// Validation is about presence only, as in the aws-sdk-go-v2 clients: empty
// strings and a missing client id go to the service, which judges them.
func TestValidationChecksPresenceOnly(t *testing.T) {
	for _, tc := range []struct {
		input    any
		wantBody string
	}{
		{
			&ExchangeCodeForTokenInput{Provider: "x", Request: &types.ExchangeCodeForTokenRequestBody{Code: aws.String(""), RedirectUri: aws.String("")}},
			`{"code":"","redirectUri":""}`,
		},
		{&RefreshTokenInput{Provider: "x", RefreshTokenBody: &types.RefreshTokenRequestBody{Token: aws.String("")}}, `{"token":""}`},
	} {
		t.Run(operationOf(tc.input), func(t *testing.T) {
			c, rec := setup(t, okTokens)
			_, err := callInput(t, c, tc.input)
			require.NoError(t, err)
			require.Len(t, rec.all(), 1)
			assert.Equal(t, tc.wantBody, string(rec.all()[0].Body))
		})
	}
}

func TestValidationErrorQuotesNoSecrets(t *testing.T) {
	for _, input := range []any{
		&ExchangeCodeForTokenInput{
			Request: &types.ExchangeCodeForTokenRequestBody{Code: aws.String("secret-code"), ClientId: aws.String("secret-client")},
		},
		&RefreshTokenInput{RefreshTokenBody: &types.RefreshTokenRequestBody{Token: aws.String("secret-code"), ClientId: aws.String("secret-client")}},
	} {
		c, _ := setup(t, okTokens)
		_, err := callInput(t, c, input)
		requireOperationError(t, err, operationOf(input))
		assert.NotContains(t, err.Error(), "secret-code")
		assert.NotContains(t, err.Error(), "secret-client")
	}
}
