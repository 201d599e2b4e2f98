package amplifyuibuilder

import (
	"net/http"
	"strings"
	"testing"

	smithy "github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/internal/jsonoracle"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// errorWant is the error the restJson1 rules make of an error response, read
// with encoding/json alone.
type errorWant struct {
	code    string
	message *string
}

// oracleError applies the rules of SPEC.md: the code from the
// X-Amzn-Errortype header, else the body's code member (a string), else its
// top-level __type; sanitized; UnknownError when there is none. The message
// from message, else Message. ok is false when the body is not an error
// body: not JSON, not an object, or __type or a message of the wrong type.
func oracleError(t *testing.T, header string, body []byte) (want errorWant, ok bool) {
	var codeMember, typeMember string
	var message, upperMessage *string
	members, ok, err := jsonoracle.Body(body)
	require.NoError(t, err)
	if !ok {
		return want, false
	}
	for _, m := range members {
		v, outcome := jsonoracle.String(m.Value)
		switch m.Key {
		case "code":
			if v != nil {
				codeMember = *v
			}
			continue
		case "__type":
			if v != nil {
				typeMember = *v
			}
		case "message":
			message = v
		case "Message":
			upperMessage = v
		default:
			continue
		}
		if outcome != jsonoracle.Decoded {
			return want, false
		}
	}
	want.code = codeMember
	if want.code == "" {
		want.code = typeMember
	}
	if header != "" {
		want.code = header
	}
	want.code = strings.SplitN(want.code, ":", 2)[0]
	if parts := strings.SplitN(want.code, "#", 2); len(parts) == 2 {
		want.code = parts[1]
	}
	if want.code == "" {
		want.code = "UnknownError"
	}
	want.message = message
	if want.message == nil {
		want.message = upperMessage
	}
	return want, true
}

// FuzzErrorFromResponse feeds any error body and X-Amzn-Errortype header to
// the error-code parser: it never panics, always returns an error, and that
// error is the one the restJson1 rules name.
func FuzzErrorFromResponse(f *testing.F) {
	headers := []string{"", "InvalidParameterException", "aws.amplifyuibuilder#InvalidParameterException:http://x/", "ThrottlingException", ":", "#", "a#b#c:d:e"}
	for i, seed := range responseBodySeeds {
		f.Add([]byte(seed), headers[i%len(headers)])
	}
	f.Fuzz(func(t *testing.T, body []byte, header string) {
		resp := &smithyhttp.Response{Response: &http.Response{StatusCode: 400, Header: http.Header{}}}
		if header != "" {
			resp.Header.Set("X-Amzn-Errortype", header)
		}
		err := errorFromResponse(resp, body, func(s string) string { return s })
		require.Error(t, err)

		want, ok := oracleError(t, header, body)
		if !ok {
			var deser *smithy.DeserializationError
			assert.ErrorAs(t, err, &deser)
			return
		}
		if strings.EqualFold(want.code, "InvalidParameterException") {
			var ipe *types.InvalidParameterException
			require.ErrorAs(t, err, &ipe)
			assert.Equal(t, want.message, ipe.Message)
			return
		}
		var generic *smithy.GenericAPIError
		require.ErrorAs(t, err, &generic)
		assert.Equal(t, want.code, generic.Code)
		wantMessage := "UnknownError"
		if want.message != nil && *want.message != "" {
			wantMessage = *want.message
		}
		assert.Equal(t, wantMessage, generic.Message)
	})
}
