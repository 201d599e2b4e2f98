package amplifyuibuilder

import (
	"errors"
	"net/http"
	"testing"

	smithy "github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/types"
)

func TestErrorResponses(t *testing.T) {
	const ipe = "InvalidParameterException"
	cases := []struct {
		name    string
		status  int
		header  map[string]string
		body    string
		code    string // the code the error reports
		message string
		modeled bool // a *types.InvalidParameterException
	}{
		{
			name: "code in X-Amzn-Errortype", status: 400,
			header: map[string]string{"X-Amzn-Errortype": ipe},
			body:   `{"message":"code expired"}`, code: ipe, message: "code expired", modeled: true,
		},
		{
			name: "header code with a :http suffix", status: 400,
			header: map[string]string{"X-Amzn-Errortype": ipe + ":http://internal.amazon.com/coral/com.amazonaws.amplifyuibuilder/"},
			body:   `{"message":"m"}`, code: ipe, message: "m", modeled: true,
		},
		{
			name: "header code with a namespace and a suffix", status: 400,
			header: map[string]string{"X-Amzn-Errortype": "com.amazonaws.amplifyuibuilder#" + ipe + ":http://internal.amazon.com/"},
			body:   `{"message":"m"}`, code: ipe, message: "m", modeled: true,
		},
		{
			name: "body code", status: 400,
			body: `{"code":"` + ipe + `","message":"m"}`, code: ipe, message: "m", modeled: true,
		},
		{
			name: "body __type with a namespace", status: 400,
			body: `{"__type":"com.amazonaws.amplifyuibuilder#` + ipe + `","message":"m"}`, code: ipe, message: "m", modeled: true,
		},
		{
			name: "code matched case-insensitively", status: 400,
			body: `{"__type":"invalidparameterexception","message":"m"}`, code: ipe, message: "m", modeled: true,
		},
		{
			name: "header wins over the body", status: 429,
			header: map[string]string{"X-Amzn-Errortype": "ThrottlingException"},
			body:   `{"code":"` + ipe + `","message":"slow down"}`, code: "ThrottlingException", message: "slow down",
		},
		{
			name: "body code wins over __type", status: 400,
			body: `{"__type":"` + ipe + `","code":"OtherException","message":"m"}`, code: "OtherException", message: "m",
		},
		{
			name: "a nested __type does not count", status: 400,
			body: `{"error":{"__type":"` + ipe + `","code":"` + ipe + `"},"message":"m"}`, code: "UnknownError", message: "m",
		},
		{
			name: "Message when message is absent", status: 400,
			body: `{"__type":"` + ipe + `","Message":"upper"}`, code: ipe, message: "upper", modeled: true,
		},
		{
			name: "message wins over Message", status: 400,
			body: `{"Message":"upper","__type":"` + ipe + `","message":"lower"}`, code: ipe, message: "lower", modeled: true,
		},
		{
			name: "modeled error without a message", status: 400,
			body: `{"__type":"` + ipe + `"}`, code: ipe, modeled: true,
		},
		{
			name: "no code", status: 400,
			body: `{"message":"something"}`, code: "UnknownError", message: "something",
		},
		{
			name: "no code and no body", status: 500,
			code: "UnknownError", message: "UnknownError",
		},
		{
			name: "unknown code", status: 500,
			header: map[string]string{"X-Amzn-Errortype": "InternalServerException"},
			body:   `{"message":"boom"}`, code: "InternalServerException", message: "boom",
		},
		{
			name: "Code in another case", status: 400,
			body: `{"Code":"` + ipe + `","message":"m"}`, code: ipe, message: "m", modeled: true,
		},
		{
			name: "the modeled code under another status is still modeled", status: 403,
			body: `{"__type":"` + ipe + `","message":"m"}`, code: ipe, message: "m", modeled: true,
		},
		{
			name: "a 3xx answer is an error", status: 300,
			body: `{"message":"elsewhere"}`, code: "UnknownError", message: "elsewhere",
		},
	}
	forEachOperation(t, func(t *testing.T, op tokenOperation) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				c, _ := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
					errorResponse(w, tc.status, tc.header, tc.body)
				}, func(o *Options) { o.Retryer = noWaitRetryer(1) })
				out, err := op.run(t, c)
				assert.Nil(t, out)
				requireOperationError(t, err, op.name)
				requireResponseError(t, err, tc.status, "req-1234")

				var apiErr smithy.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tc.code, apiErr.ErrorCode())

				var modeled *types.InvalidParameterException
				if tc.modeled {
					require.ErrorAs(t, err, &modeled)
					assert.Equal(t, tc.message, modeled.ErrorMessage())
					assert.Equal(t, smithy.FaultClient, modeled.ErrorFault())
					return
				}
				assert.False(t, errors.As(err, &modeled), "not the modeled error")
				var generic *smithy.GenericAPIError
				require.ErrorAs(t, err, &generic)
				assert.Equal(t, tc.code, generic.Code)
				assert.Equal(t, tc.message, generic.Message)
			})
		}
	})
}

// The whole error chain reads as it does from any aws-sdk-go-v2 client.
func TestErrorMessageFormat(t *testing.T) {
	forEachOperation(t, func(t *testing.T, op tokenOperation) {
		c, _ := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
			errorResponse(w, 400, nil, `{"__type":"InvalidParameterException","message":"code expired"}`)
		})
		_, err := op.run(t, c)
		require.Error(t, err)
		assert.Equal(t, "operation error AmplifyUIBuilder: "+op.name+", https response error StatusCode: 400, "+
			"RequestID: req-1234, InvalidParameterException: code expired", err.Error())
	})
}

// An error body that is not JSON, as a proxy may send, fails the call
// with a DeserializationError that keeps the status and request id.
func TestErrorBodyThatIsNotJSON(t *testing.T) {
	forEachOperation(t, func(t *testing.T, op tokenOperation) {
		c, rec := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
			errorResponse(w, 400, nil, `<html><body>Bad Request</body></html>`)
		})
		_, err := op.run(t, c)
		requireOperationError(t, err, op.name)
		requireResponseError(t, err, 400, "req-1234")
		var desErr *smithy.DeserializationError
		require.ErrorAs(t, err, &desErr)
		assert.Len(t, rec.all(), 1)
	})
}

func TestErrorsQuoteNoSecrets(t *testing.T) {
	forEachOperation(t, func(t *testing.T, op tokenOperation) {
		c, _ := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
			errorResponse(w, 400, nil, `{"__type":"InvalidParameterException","message":"bad","accessToken":"secret-at"}`)
		})
		_, err := op.call(t.Context(), c, "secret-code-or-token", "secret-client-id")
		require.Error(t, err)
		for _, secret := range []string{"secret-code-or-token", "secret-client-id", "secret-at"} {
			assert.NotContains(t, err.Error(), secret)
		}
	})
}

// TestErrorBodiesReadAsGetErrorInfo sends error bodies over HTTP and checks
// the call's error twice: against what the body says (written out here) and
// against restjson.GetErrorInfo with the generated clients' rules, which is
// how the published client reads them.
func TestErrorBodiesReadAsGetErrorInfo(t *testing.T) {
	const ipe = "InvalidParameterException"
	cases := []struct {
		name, header, body string
		code, message      string // "" code: a DeserializationError
	}{
		{name: "Code", body: `{"Code":"` + ipe + `","message":"m"}`, code: ipe, message: "m"},
		{name: "CODE and MESSAGE", body: `{"CODE":"` + ipe + `","MESSAGE":"m"}`, code: ipe, message: "m"},
		{name: "__TYPE", body: `{"__TYPE":"` + ipe + `","Message":"m"}`, code: ipe, message: "m"},
		{name: "mixed-case unknown code", body: `{"cOdE":"SomeException","mEsSaGe":"m"}`, code: "SomeException", message: "m"},
		{name: "the last message wins", body: `{"message":"lower","Message":"upper"}`, code: "UnknownError", message: "upper"},
		{name: "a number for the code", body: `{"code":400,"message":"m"}`},
		{name: "a number for the message", body: `{"code":"` + ipe + `","message":5}`},
		{name: "an object for the code", body: `{"code":{"inner":"` + ipe + `"}}`},
		{name: "nested members do not count", body: `{"error":{"code":"` + ipe + `","message":"n"}}`, code: "UnknownError", message: "UnknownError"},
		{name: "empty body", body: ``, code: "UnknownError", message: "UnknownError"},
		{name: "null body", body: `null`, code: "UnknownError", message: "UnknownError"},
		{name: "an array", body: `[]`},
		{name: "trailing data after the object", body: `{"code":"` + ipe + `","message":"m"} <html>`, code: ipe, message: "m"},
		{name: "two hashes in the body code", body: `{"code":"a#b#` + ipe + `"}`, code: ipe, message: ""},
		{name: "the header wins over CODE", header: "SomeException", body: `{"CODE":"` + ipe + `"}`, code: "SomeException", message: "UnknownError"},
	}
	forEachOperation(t, func(t *testing.T, op tokenOperation) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				c, _ := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
					if tc.header != "" {
						w.Header().Set("X-Amzn-Errortype", tc.header)
					}
					jsonResponse(w, 400, tc.body)
				})
				_, err := op.run(t, c)
				requireResponseError(t, err, 400, "req-1234")

				want := generatedClientError(tc.header, []byte(tc.body))
				if tc.code == "" {
					require.False(t, want.ok, "GetErrorInfo reads this body")
					var deser *smithy.DeserializationError
					require.ErrorAs(t, err, &deser)
					return
				}
				require.True(t, want.ok)
				assert.Equal(t, tc.code, want.code, "GetErrorInfo's code")
				var apiErr smithy.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tc.code, apiErr.ErrorCode())
				var modeled *types.InvalidParameterException
				if tc.code == ipe {
					require.ErrorAs(t, err, &modeled)
					assert.Equal(t, tc.message, want.message, "GetErrorInfo's message")
					assert.Equal(t, tc.message, modeled.ErrorMessage())
					return
				}
				assert.Equal(t, tc.message, apiErr.ErrorMessage())
				if want.message != "" {
					assert.Equal(t, want.message, apiErr.ErrorMessage(), "GetErrorInfo's message")
				}
			})
		}
	})
}
