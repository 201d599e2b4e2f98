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

func TestExchangeCodeForTokenValidation(t *testing.T) {
	body := func(code, redirect *string) *types.ExchangeCodeForTokenRequestBody {
		return &types.ExchangeCodeForTokenRequestBody{Code: code, RedirectUri: redirect, ClientId: aws.String("client-1")}
	}
	cases := []struct {
		name  string
		input *ExchangeCodeForTokenInput
		want  []string
	}{
		{"nil input", nil, []string{"ExchangeCodeForTokenInput.Provider", "ExchangeCodeForTokenInput.Request"}},
		{"empty input", &ExchangeCodeForTokenInput{}, []string{"ExchangeCodeForTokenInput.Provider", "ExchangeCodeForTokenInput.Request"}},
		{
			"empty provider",
			&ExchangeCodeForTokenInput{Request: body(aws.String("c"), aws.String("r"))},
			[]string{"ExchangeCodeForTokenInput.Provider"},
		},
		{"nil request", &ExchangeCodeForTokenInput{Provider: types.TokenProvidersFigma}, []string{"ExchangeCodeForTokenInput.Request"}},
		{
			"nil code",
			&ExchangeCodeForTokenInput{Provider: types.TokenProvidersFigma, Request: body(nil, aws.String("r"))},
			[]string{"ExchangeCodeForTokenInput.Request.Code"},
		},
		{
			"nil redirect uri",
			&ExchangeCodeForTokenInput{Provider: types.TokenProvidersFigma, Request: body(aws.String("c"), nil)},
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
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, rec := setup(t, okTokens)
			out, err := exchange(t, c, tc.input)
			assert.Nil(t, out)
			requireMissingFields(t, err, "ExchangeCodeForToken", tc.want...)
			assert.Empty(t, rec.all(), "nothing is sent")
		})
	}
}

func TestRefreshTokenValidation(t *testing.T) {
	cases := []struct {
		name  string
		input *RefreshTokenInput
		want  []string
	}{
		{"nil input", nil, []string{"RefreshTokenInput.Provider", "RefreshTokenInput.RefreshTokenBody"}},
		{
			"nil token",
			&RefreshTokenInput{Provider: types.TokenProvidersFigma, RefreshTokenBody: &types.RefreshTokenRequestBody{ClientId: aws.String("c")}},
			[]string{"RefreshTokenInput.RefreshTokenBody.Token"},
		},
		{
			"empty provider and nil token",
			&RefreshTokenInput{RefreshTokenBody: &types.RefreshTokenRequestBody{}},
			[]string{"RefreshTokenInput.Provider", "RefreshTokenInput.RefreshTokenBody.Token"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, rec := setup(t, okTokens)
			_, err := c.RefreshToken(t.Context(), tc.input)
			requireMissingFields(t, err, "RefreshToken", tc.want...)
			assert.Empty(t, rec.all(), "nothing is sent")
		})
	}
}

// Validation is about presence only, as in the aws-sdk-go-v2 clients: empty
// strings and a missing client id go to the service, which judges them.
func TestValidationChecksPresenceOnly(t *testing.T) {
	c, rec := setup(t, okTokens)
	_, err := exchange(t, c, &ExchangeCodeForTokenInput{
		Provider: "x",
		Request:  &types.ExchangeCodeForTokenRequestBody{Code: aws.String(""), RedirectUri: aws.String("")},
	})
	require.NoError(t, err)
	require.Len(t, rec.all(), 1)
	assert.Equal(t, `{"code":"","redirectUri":""}`, string(rec.all()[0].Body))
}

func TestValidationErrorQuotesNoSecrets(t *testing.T) {
	c, _ := setup(t, okTokens)
	_, err := exchange(t, c, &ExchangeCodeForTokenInput{
		Request: &types.ExchangeCodeForTokenRequestBody{Code: aws.String("secret-code"), ClientId: aws.String("secret-client")},
	})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "secret-code")
	assert.NotContains(t, err.Error(), "secret-client")
}
