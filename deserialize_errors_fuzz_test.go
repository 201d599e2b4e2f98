package amplifyuibuilder

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/restjson"
	smithy "github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// errorWant is the error an aws-sdk-go-v2 restJson1 client makes of an error
// response.
type errorWant struct {
	code    string
	message string
	ok      bool // false: the body fails to decode, a DeserializationError
}

// generatedClientError applies the generated clients' rules to an error
// response: the body read by restjson.GetErrorInfo, whose code is sanitized
// once more; the X-Amzn-Errortype header, sanitized, wins over it;
// UnknownError when there is no code.
func generatedClientError(header string, body []byte) errorWant {
	code, message, err := restjson.GetErrorInfo(json.NewDecoder(bytes.NewReader(body)))
	if err != nil {
		return errorWant{}
	}
	code = restjson.SanitizeErrorCode(code)
	if header != "" {
		code = restjson.SanitizeErrorCode(header)
	}
	if code == "" {
		code = "UnknownError"
	}
	return errorWant{code: code, message: message, ok: true}
}

// errorBodySeeds are error bodies in the forms GetErrorInfo reads: every case
// of every member name, numbers and objects where strings belong, nested
// members, duplicates, empty and trailing data.
var errorBodySeeds = []string{
	``, ` `, `null`, `{}`, `[]`, `"x"`, `1`, `{`, `<html>`,
	`{"code":"InvalidParameterException","message":"m"}`,
	`{"Code":"InvalidParameterException","message":"m"}`,
	`{"CODE":"InvalidParameterException","MESSAGE":"m"}`,
	`{"__TYPE":"InvalidParameterException","Message":"m"}`,
	`{"__type":"aws#ThrottlingException:http://x","Message":"m"}`,
	`{"code":"a#b#c:d","message":"m"}`,
	`{"code":5,"__type":"X"}`, `{"message":1}`, `{"__type":["X"]}`, `{"code":{"a":1}}`,
	`{"x":{"__type":"Nested"}}`, `{"error":{"code":"Nested","message":"n"}}`,
	`{"message":"lower","Message":"upper"}`, `{"Message":"upper","message":"lower"}`,
	`{"code":"","__type":"T"}`, `{"code":null,"message":null}`,
	`{"code":"X"} trailing`, `{"code":"X"}{"code":"Y"}`, `{"c\u006fde":"Escaped"}`,
	"{\"code\":\"\xff\"}",
}

// FuzzErrorFromResponse runs any error body and X-Amzn-Errortype header
// through errorFromResponse and through restjson.GetErrorInfo with the
// generated clients' rules: it never panics, always returns an error, and
// that error has the code and message the generated client would give.
func FuzzErrorFromResponse(f *testing.F) {
	headers := []string{"", "InvalidParameterException", "aws.amplifyuibuilder#InvalidParameterException:http://x/", "ThrottlingException", "a#b#c:d:e"}
	for i, seed := range append(errorBodySeeds, responseBodySeeds...) {
		f.Add([]byte(seed), headers[i%len(headers)])
	}
	f.Fuzz(func(t *testing.T, body []byte, header string) {
		resp := &smithyhttp.Response{Response: &http.Response{StatusCode: 400, Header: http.Header{}}}
		if header != "" {
			resp.Header.Set("X-Amzn-Errortype", header)
			header = resp.Header.Get("X-Amzn-Errortype") // as net/http would carry it
		}
		err := errorFromResponse(resp, string(body), func(s string) string { return s })
		require.Error(t, err)

		want := generatedClientError(header, body)
		if !want.ok {
			var deser *smithy.DeserializationError
			assert.ErrorAs(t, err, &deser)
			return
		}
		if want.code == "" {
			want.code = "UnknownError"
		}
		if strings.EqualFold(want.code, "InvalidParameterException") {
			var ipe *types.InvalidParameterException
			require.ErrorAs(t, err, &ipe)
			assert.Equal(t, want.message, ipe.ErrorMessage())
			return
		}
		var generic *smithy.GenericAPIError
		require.ErrorAs(t, err, &generic)
		assert.Equal(t, want.code, generic.Code)
		if want.message == "" {
			want.message = "UnknownError"
		}
		assert.Equal(t, want.message, generic.Message)
	})
}
