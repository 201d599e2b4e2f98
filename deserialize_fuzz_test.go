package amplifyuibuilder

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/internal/jsonoracle"
)

// responseBodySeeds are response bodies, good and bad, for the fuzz targets
// of the deserializers.
var responseBodySeeds = []string{
	``, ` `, "\v{}", `null`, `{}`, `[]`, `"x"`, `1`,
	`{"accessToken":"at-1","expiresIn":3600,"refreshToken":"rt-1"}`,
	`{"accessToken":null,"expiresIn":null,"refreshToken":null}`,
	`{"accessToken":1}`, `{"expiresIn":"1"}`, `{"expiresIn":1.0}`, `{"expiresIn":2147483648}`,
	`{"accessToken":"a","accessToken":"b"}`, `{"accessToken":1,"accessToken":"b"}`,
	`{"AccessToken":"a"}`, `{"access\u0054oken":"a"}`, "{\"accessToken\":\"\xff\"}",
	`{"refreshToken":{"a":1},"accessToken":"a"}`,
	`{"code":"InvalidParameterException","message":"m"}`,
	`{"__type":"aws#ThrottlingException:http://x","Message":"m"}`,
	`{"code":5,"__type":"X"}`, `{"message":1}`, `{"x":{"__type":"Nested"}}`,
	`{"accessToken":"a"} x`, `{"accessToken":`, `<html>`,
}

// tokensWant is what encoding/json says a token response holds.
type tokensWant struct {
	accessToken, refreshToken *string
	expiresIn                 *int32
}

// oracleTokens decodes a token response with encoding/json alone: keys match
// exactly, the last occurrence of a member wins, and any occurrence of a
// member with the wrong type, or an expiresIn outside int32, fails the body.
// withRefresh says whether refreshToken is a member of the output.
func oracleTokens(t *testing.T, body []byte, withRefresh bool) (tokensWant, bool) {
	var want tokensWant
	members, ok, err := jsonoracle.Body(body)
	require.NoError(t, err)
	if !ok {
		return want, false
	}
	for _, m := range members {
		outcome := jsonoracle.Decoded
		switch {
		case m.Key == "accessToken":
			want.accessToken, outcome = jsonoracle.String(m.Value)
		case m.Key == "expiresIn":
			want.expiresIn, outcome = jsonoracle.Int32(m.Value)
		case m.Key == "refreshToken" && withRefresh:
			want.refreshToken, outcome = jsonoracle.String(m.Value)
		}
		if outcome != jsonoracle.Decoded {
			return want, false
		}
	}
	return want, true
}

// FuzzDeserializeTokens feeds any body to both operations' deserializers:
// they never panic, and they agree with encoding/json on what the body holds
// or that it is not a token response.
func FuzzDeserializeTokens(f *testing.F) {
	for _, seed := range responseBodySeeds {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		result, err := exchangeCodeForTokenOperation.deserialize(string(body))
		want, ok := oracleTokens(t, body, true)
		if !ok {
			assert.Error(t, err)
		} else {
			require.NoError(t, err)
			out := result.(*ExchangeCodeForTokenOutput)
			assert.Equal(t, want.accessToken, out.AccessToken)
			assert.Equal(t, want.expiresIn, out.ExpiresIn)
			assert.Equal(t, want.refreshToken, out.RefreshToken)
		}

		result, err = refreshTokenOperation.deserialize(string(body))
		want, ok = oracleTokens(t, body, false)
		if !ok {
			assert.Error(t, err)
		} else {
			require.NoError(t, err)
			out := result.(*RefreshTokenOutput)
			assert.Equal(t, want.accessToken, out.AccessToken)
			assert.Equal(t, want.expiresIn, out.ExpiresIn)
		}
	})
}
