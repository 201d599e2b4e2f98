package amplifyuibuilder

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	smithy "github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTokenOutputs: what each operation's output holds for a 2xx body.
// RefreshToken's output has no refresh token: it ignores that member.
func TestTokenOutputs(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		want   ExchangeCodeForTokenOutput
	}{
		{
			name: "every member",
			body: `{"accessToken":"at-1","expiresIn":3600,"refreshToken":"rt-1"}`,
			want: ExchangeCodeForTokenOutput{AccessToken: aws.String("at-1"), ExpiresIn: aws.Int32(3600), RefreshToken: aws.String("rt-1")},
		},
		{
			name: "unknown members of every type are ignored",
			body: `{"extra":{"accessToken":"nested","a":[1,{"b":null}]},"accessToken":"at-1","n":1.5e3,"t":true,"s":"x","expiresIn":1}`,
			want: ExchangeCodeForTokenOutput{AccessToken: aws.String("at-1"), ExpiresIn: aws.Int32(1)},
		},
		{
			name: "null is absent",
			body: `{"accessToken":null,"expiresIn":null,"refreshToken":"rt-1"}`,
			want: ExchangeCodeForTokenOutput{RefreshToken: aws.String("rt-1")},
		},
		{name: "empty body", body: ``},
		{name: "whitespace body", body: " \r\n\t"},
		{name: "empty object", body: `{}`},
		{name: "null document", body: `null`},
		{name: "204 without a body", status: 204},
		{
			name: "int32 bounds",
			body: `{"expiresIn":2147483647}`,
			want: ExchangeCodeForTokenOutput{ExpiresIn: aws.Int32(2147483647)},
		},
		{
			name: "negative int32 bound",
			body: `{"expiresIn":-2147483648}`,
			want: ExchangeCodeForTokenOutput{ExpiresIn: aws.Int32(-2147483648)},
		},
		{
			name: "escaped strings and keys",
			body: `{"access\u0054oken":"a\"b\\c\u00e9\ud83d\ude00","refreshToken":"line\nbreak"}`,
			want: ExchangeCodeForTokenOutput{AccessToken: aws.String("a\"b\\cé😀"), RefreshToken: aws.String("line\nbreak")},
		},
		{
			name: "keys are matched exactly",
			body: `{"AccessToken":"wrong case","expiresin":5}`,
		},
		{
			name: "the last of duplicate members wins",
			body: `{"accessToken":"first","accessToken":"second"}`,
			want: ExchangeCodeForTokenOutput{AccessToken: aws.String("second")},
		},
	}
	forEachOperation(t, func(t *testing.T, op tokenOperation) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				status := tc.status
				if status == 0 {
					status = 200
				}
				c, _ := setup(t, func(w http.ResponseWriter, _ int, _ captured) { jsonResponse(w, status, tc.body) })
				out, err := op.run(t, c)
				require.NoError(t, err)
				assert.Equal(t, tc.want.AccessToken, out.AccessToken)
				assert.Equal(t, tc.want.ExpiresIn, out.ExpiresIn)
				assert.Equal(t, op.refreshTokenOf(tc.want.RefreshToken), out.RefreshToken)
			})
		}
	})
}

func TestMalformedOutputIsADeserializationError(t *testing.T) {
	type malformed struct {
		name string
		body string
	}
	cases := []malformed{
		{"access token is a number", `{"accessToken":12}`},
		{"expires in is a string", `{"expiresIn":"3600"}`},
		{"expires in is a boolean", `{"expiresIn":true}`},
		{"expires in has a fraction", `{"expiresIn":1.5}`},
		{"expires in has an exponent", `{"expiresIn":1e3}`},
		{"expires in above int32", `{"expiresIn":2147483648}`},
		{"expires in below int32", `{"expiresIn":-2147483649}`},
		{"expires in far above int64", `{"expiresIn":123456789012345678901234567890}`},
		{"document is an array", `[{"accessToken":"at-1"}]`},
		{"document is a string", `"at-1"`},
		{"document is a number", `42`},
		{"truncated document", `{"accessToken":"at-1","expiresIn":36`},
		{"trailing garbage", `{"accessToken":"at-1"} {}`},
		{"not JSON", `<html>gateway</html>`},
		{"malformed unicode escape", `{"accessToken":"\ud83d\u"}`},
	}
	forEachOperation(t, func(t *testing.T, op tokenOperation) {
		cases := slices.Clone(cases)
		if op.readsRefreshToken() {
			cases = append(cases, malformed{"refresh token is an object", `{"refreshToken":{"v":"x"}}`})
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				c, rec := setup(t, func(w http.ResponseWriter, _ int, _ captured) { jsonResponse(w, 200, tc.body) })
				out, err := op.run(t, c)
				assert.Nil(t, out)
				requireOperationError(t, err, op.name)
				var desErr *smithy.DeserializationError
				require.ErrorAs(t, err, &desErr)
				requireResponseError(t, err, 200, "req-1234")
				assert.Len(t, rec.all(), 1, "a malformed answer is not retried")
			})
		}
	})
}

// The values of sensitive members are secrets: an error about a response
// must not quote them.
func TestDeserializationErrorsQuoteNoValues(t *testing.T) {
	const secret = "s3cr3t-access-token"
	forEachOperation(t, func(t *testing.T, op tokenOperation) {
		bodies := []string{
			`{"expiresIn":"` + secret + `"}`,
			`{"accessToken":"` + secret + `","expiresIn":{"x":1}}`,
			`{"accessToken":"` + secret + `",`,
			`{"accessToken":"` + secret + `"} trailing`,
			`{"accessToken":["` + secret + `"]}`,
		}
		if op.readsRefreshToken() {
			bodies = append(bodies, `{"refreshToken":["`+secret+`"]}`)
		}
		for _, body := range bodies {
			c, _ := setup(t, func(w http.ResponseWriter, _ int, _ captured) { jsonResponse(w, 200, body) })
			_, err := op.run(t, c)
			require.Error(t, err, body)
			assert.NotContains(t, err.Error(), secret, body)
		}
	})
}

// requestid_test.go checks each request-id header alone; here, which one
// wins, none at all, and the raw response beside it.
func TestRequestIDPrecedenceAndRawResponse(t *testing.T) {
	cases := []struct {
		name    string
		headers map[string]string
		want    string
	}{
		{
			name: "X-Amzn-Requestid wins",
			headers: map[string]string{
				"X-Amzn-Requestid": "amzn-id", "X-Amz-Request-Id": "amz-id", "X-Amz-Requestid": "amz-id-2",
			},
			want: "amzn-id",
		},
		{
			name:    "X-Amz-Request-Id before X-Amz-Requestid",
			headers: map[string]string{"X-Amz-Request-Id": "amz-id", "X-Amz-Requestid": "amz-id-2"},
			want:    "amz-id",
		},
		{name: "none", headers: map[string]string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
				for k, v := range tc.headers {
					w.Header().Set(k, v)
				}
				_, _ = w.Write([]byte(`{"accessToken":"at-1"}`))
			})
			out, err := exchange(t, c, exchangeInput())
			require.NoError(t, err)
			id, ok := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
			assert.Equal(t, tc.want != "", ok)
			assert.Equal(t, tc.want, id)

			raw, ok := awsmiddleware.GetRawResponse(out.ResultMetadata).(*smithyhttp.Response)
			require.True(t, ok, "the raw response is in the metadata")
			assert.Equal(t, 200, raw.StatusCode)
		})
	}
}

func TestResponseBodyLimit(t *testing.T) {
	long := `{"accessToken":"` + strings.Repeat("a", 200) + `"}`
	c, rec := setup(t, func(w http.ResponseWriter, _ int, _ captured) { jsonResponse(w, 200, long) },
		func(o *Options) { o.MaxResponseBodySize = int64(len(long)) - 1 })
	_, err := exchange(t, c, exchangeInput())
	requireOperationError(t, err, "ExchangeCodeForToken")
	var tooLarge *ResponseTooLargeError
	require.ErrorAs(t, err, &tooLarge)
	assert.Equal(t, int64(len(long))-1, tooLarge.Limit)
	assert.Len(t, rec.all(), 1)

	out, err := exchange(t, c, exchangeInput(), func(o *Options) { o.MaxResponseBodySize = int64(len(long)) })
	require.NoError(t, err, "a body exactly at the limit is read")
	assert.Len(t, aws.ToString(out.AccessToken), 200)
}
