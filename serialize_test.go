package amplifyuibuilder

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	smithy "github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// What goes on the wire: method, path, body and headers, for the inputs
// that exercise the label and body rules.

func TestRequestOnTheWire(t *testing.T) {
	exchangeOf := func(provider types.TokenProviders, code, redirectURI string) *ExchangeCodeForTokenInput {
		return &ExchangeCodeForTokenInput{Provider: provider, Request: &types.ExchangeCodeForTokenRequestBody{
			Code: aws.String(code), RedirectUri: aws.String(redirectURI),
		}}
	}
	refreshOf := func(provider types.TokenProviders, token string) *RefreshTokenInput {
		return &RefreshTokenInput{Provider: provider, RefreshTokenBody: &types.RefreshTokenRequestBody{Token: aws.String(token)}}
	}
	cases := []struct {
		name     string
		input    any // *ExchangeCodeForTokenInput or *RefreshTokenInput
		wantURI  string
		wantBody string
	}{
		{
			name:     "every member, keys in name order",
			input:    exchangeInput(),
			wantURI:  "/tokens/figma",
			wantBody: `{"clientId":"client-1","code":"code-123","redirectUri":"https://example.com/cb"}`,
		},
		{
			name:     "every member of a refresh, keys in name order",
			input:    refreshInput(),
			wantURI:  "/tokens/figma/refresh",
			wantBody: `{"clientId":"client-1","token":"rt-1"}`,
		},
		{
			name:     "nil client id is omitted",
			input:    exchangeOf(types.TokenProvidersFigma, "c", "r"),
			wantURI:  "/tokens/figma",
			wantBody: `{"code":"c","redirectUri":"r"}`,
		},
		{
			name:     "nil client id of a refresh is omitted",
			input:    refreshOf(types.TokenProvidersFigma, "t"),
			wantURI:  "/tokens/figma/refresh",
			wantBody: `{"token":"t"}`,
		},
		{
			name: "empty strings are sent, not omitted",
			input: &ExchangeCodeForTokenInput{Provider: types.TokenProvidersFigma, Request: &types.ExchangeCodeForTokenRequestBody{
				Code: aws.String(""), RedirectUri: aws.String(""), ClientId: aws.String(""),
			}},
			wantURI:  "/tokens/figma",
			wantBody: `{"clientId":"","code":"","redirectUri":""}`,
		},
		{
			name: "empty strings of a refresh are sent, not omitted",
			input: &RefreshTokenInput{Provider: types.TokenProvidersFigma, RefreshTokenBody: &types.RefreshTokenRequestBody{
				Token: aws.String(""), ClientId: aws.String(""),
			}},
			wantURI:  "/tokens/figma/refresh",
			wantBody: `{"clientId":"","token":""}`,
		},
		{
			name:     "label with every kind of reserved character",
			input:    exchangeOf("fi gma/../x?y#z", "c", "r"),
			wantURI:  "/tokens/fi%20gma%2F..%2Fx%3Fy%23z",
			wantBody: `{"code":"c","redirectUri":"r"}`,
		},
		{
			name:     "escaped label before the fixed suffix of a refresh",
			input:    refreshOf("fi gma/../x?y#z", "t"),
			wantURI:  "/tokens/fi%20gma%2F..%2Fx%3Fy%23z/refresh",
			wantBody: `{"token":"t"}`,
		},
		{
			name:     "label: unreserved kept, sub-delims, percent and UTF-8 escaped in upper hex",
			input:    exchangeOf("a-b.c_d~e+f:g@h%i&j=k;l,m'n(o)p*q!r$sé", "c", "r"),
			wantURI:  "/tokens/a-b.c_d~e%2Bf%3Ag%40h%25i%26j%3Dk%3Bl%2Cm%27n%28o%29p%2Aq%21r%24s%C3%A9",
			wantBody: `{"code":"c","redirectUri":"r"}`,
		},
		{
			name:     "unknown provider is sent as is",
			input:    exchangeOf("github", "c", "r"),
			wantURI:  "/tokens/github",
			wantBody: `{"code":"c","redirectUri":"r"}`,
		},
		{
			name:     "unknown provider of a refresh is sent as is",
			input:    refreshOf("github", "t"),
			wantURI:  "/tokens/github/refresh",
			wantBody: `{"token":"t"}`,
		},
		{
			name:     "string escaping in the body",
			input:    exchangeOf(types.TokenProvidersFigma, "q\"b\\n\nt\tc\x01<>&\u2028é", "https://example.com/cb?a=1&b=2"),
			wantURI:  "/tokens/figma",
			wantBody: `{"code":"q\"b\\n\nt\tc\u0001<>&\u2028é","redirectUri":"https://example.com/cb?a=1&b=2"}`,
		},
		{
			name:     "string escaping in a refresh body",
			input:    refreshOf(types.TokenProvidersFigma, "q\"b\\n\nt\tc\x01<>&\u2028é"),
			wantURI:  "/tokens/figma/refresh",
			wantBody: `{"token":"q\"b\\n\nt\tc\u0001<>&\u2028é"}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, rec := setup(t, okTokens)
			_, err := callInput(t, c, tc.input)
			require.NoError(t, err)

			reqs := rec.all()
			require.Len(t, reqs, 1)
			req := reqs[0]
			assert.Equal(t, http.MethodPost, req.Method)
			assert.Equal(t, tc.wantURI, req.RequestURI)
			assert.Equal(t, tc.wantBody, string(req.Body))
			assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
			assert.Equal(t, strconv.Itoa(len(tc.wantBody)), req.Header.Get("Content-Length"))

			// The body is JSON that gives back exactly the input's strings.
			var decoded map[string]string
			require.NoError(t, json.Unmarshal(req.Body, &decoded))
			assert.Equal(t, bodyMembers(tc.input), decoded)
		})
	}
}

// bodyMembers returns the members of the request body of in that are set.
func bodyMembers(in any) map[string]string {
	members := map[string]string{}
	set := func(name string, value *string) {
		if value != nil {
			members[name] = *value
		}
	}
	switch in := in.(type) {
	case *ExchangeCodeForTokenInput:
		set("code", in.Request.Code)
		set("redirectUri", in.Request.RedirectUri)
		set("clientId", in.Request.ClientId)
	case *RefreshTokenInput:
		set("token", in.RefreshTokenBody.Token)
		set("clientId", in.RefreshTokenBody.ClientId)
	}
	return members
}

func TestEmptyProviderIsNeverSent(t *testing.T) {
	withoutValidation := WithAPIOptions(func(s *middleware.Stack) error {
		_, err := s.Initialize.Remove("OperationInputValidation")
		return err
	})

	t.Run("validation rejects it", func(t *testing.T) {
		c, rec := setup(t, okTokens)
		in := exchangeInput()
		in.Provider = ""
		_, err := exchange(t, c, in)
		requireOperationError(t, err, "ExchangeCodeForToken")
		var invalid smithy.InvalidParamsError
		require.ErrorAs(t, err, &invalid)
		assert.Empty(t, rec.all())
	})

	// The serializer is the last line: a stack without validation must still
	// never send /tokens/, another resource.
	t.Run("the serializer rejects it without validation", func(t *testing.T) {
		c, rec := setup(t, okTokens, withoutValidation)
		in := exchangeInput()
		in.Provider = ""
		_, err := exchange(t, c, in)
		requireOperationError(t, err, "ExchangeCodeForToken")
		var serErr *smithy.SerializationError
		require.ErrorAs(t, err, &serErr)
		assert.Empty(t, rec.all())

		_, err = c.RefreshToken(context.Background(), &RefreshTokenInput{
			RefreshTokenBody: &types.RefreshTokenRequestBody{Token: aws.String("t")},
		})
		requireOperationError(t, err, "RefreshToken")
		require.ErrorAs(t, err, &serErr)
		assert.Empty(t, rec.all())
	})

	t.Run("the serializer rejects a nil body without validation", func(t *testing.T) {
		c, rec := setup(t, okTokens, withoutValidation)
		for _, in := range []any{
			&ExchangeCodeForTokenInput{Provider: types.TokenProvidersFigma},
			&RefreshTokenInput{Provider: types.TokenProvidersFigma},
		} {
			_, err := callInput(t, c, in)
			requireOperationError(t, err, operationOf(in))
			var serErr *smithy.SerializationError
			require.ErrorAs(t, err, &serErr)
		}
		assert.Empty(t, rec.all())
	})
}

var (
	uuidPattern      = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	amzDatePattern   = regexp.MustCompile(`^\d{8}T\d{6}Z$`)
	userAgentPattern = regexp.MustCompile(`^aws-sdk-go-v2/` + regexp.QuoteMeta(aws.SDKVersion) +
		` ua/2\.1 os/[a-z0-9_-]+ lang/go#\S+ md/GOOS#\S+ md/GOARCH#\S+ api/amplifyuibuilder#` +
		regexp.QuoteMeta(moduleVersion) + `( |$)`)
)

// requireSDKRequestHeader checks Amz-Sdk-Request: "attempt=N; max=M", which
// the retryer may follow with a "; ttl=..." part when it knows the clock skew.
func requireSDKRequestHeader(t *testing.T, value string, attempt, maxAttempts int) {
	t.Helper()
	want := "attempt=" + strconv.Itoa(attempt) + "; max=" + strconv.Itoa(maxAttempts)
	if rest, ok := strings.CutPrefix(value, want); ok && (rest == "" || strings.HasPrefix(rest, "; ttl=")) {
		return
	}
	t.Fatalf("Amz-Sdk-Request = %q, want %q", value, want)
}

func TestRequestHeaders(t *testing.T) {
	c, rec := setup(t, okTokens)
	_, err := exchange(t, c, exchangeInput())
	require.NoError(t, err)

	reqs := rec.all()
	require.Len(t, reqs, 1)
	h := reqs[0].Header
	assert.Equal(t, "application/json", h.Get("Content-Type"))
	assert.Regexp(t, uuidPattern, h.Get("Amz-Sdk-Invocation-Id"))
	requireSDKRequestHeader(t, h.Get("Amz-Sdk-Request"), 1, 3)
	assert.Regexp(t, userAgentPattern, h.Get("User-Agent"))
	assert.Regexp(t, amzDatePattern, h.Get("X-Amz-Date"))
	assert.Equal(t, testSessionToken, h.Get("X-Amz-Security-Token"))
	auth := parseAuthorization(t, h.Get("Authorization"))
	assert.Equal(t, testAccessKeyID, auth.AccessKeyID)
	assert.Equal(t, testRegion, auth.Region)
	assert.Equal(t, "amplifyuibuilder", auth.Service)
	assert.Equal(t, auth.Date, h.Get("X-Amz-Date")[:8])
}

func TestInvocationIDIsPerCall(t *testing.T) {
	c, rec := setup(t, failThenOK(1, 500, ""))

	_, err := exchange(t, c, exchangeInput())
	require.NoError(t, err)
	_, err = exchange(t, c, exchangeInput())
	require.NoError(t, err)

	reqs := rec.all()
	require.Len(t, reqs, 3) // the first call was retried once
	first, retried, second := reqs[0].Header, reqs[1].Header, reqs[2].Header
	require.Regexp(t, uuidPattern, first.Get("Amz-Sdk-Invocation-Id"))
	assert.Equal(t, first.Get("Amz-Sdk-Invocation-Id"), retried.Get("Amz-Sdk-Invocation-Id"),
		"every attempt of a call carries the call's id")
	assert.NotEqual(t, first.Get("Amz-Sdk-Invocation-Id"), second.Get("Amz-Sdk-Invocation-Id"),
		"each call has its own id")
	requireSDKRequestHeader(t, first.Get("Amz-Sdk-Request"), 1, 3)
	requireSDKRequestHeader(t, retried.Get("Amz-Sdk-Request"), 2, 3)
	requireSDKRequestHeader(t, second.Get("Amz-Sdk-Request"), 1, 3)
}

func TestUserAgentNamesAppIDAndAPIOptionKeys(t *testing.T) {
	c, rec := setup(t, okTokens, func(o *Options) { o.AppID = "my-app" })
	_, err := exchange(t, c, exchangeInput())
	require.NoError(t, err)
	ua := rec.all()[0].Header.Get("User-Agent")
	assert.Regexp(t, userAgentPattern, ua)
	assert.Contains(t, strings.Fields(ua), "app/my-app")
}

func TestCredentialsDecideSecurityTokenAndSigning(t *testing.T) {
	t.Run("no session token, no X-Amz-Security-Token", func(t *testing.T) {
		c, rec := setup(t, okTokens, func(o *Options) {
			o.Credentials = credentials.NewStaticCredentialsProvider(testAccessKeyID, testSecretAccessKey, "")
		})
		_, err := exchange(t, c, exchangeInput())
		require.NoError(t, err)
		h := rec.all()[0].Header
		assert.Empty(t, h.Values("X-Amz-Security-Token"))
		assert.NotContains(t, parseAuthorization(t, h.Get("Authorization")).SignedHeaders, "x-amz-security-token")
	})
	for name, creds := range map[string]aws.CredentialsProvider{
		"nil credentials":       nil,
		"anonymous credentials": aws.AnonymousCredentials{},
	} {
		t.Run(name+" send an unsigned request", func(t *testing.T) {
			c, rec := setup(t, okTokens, func(o *Options) { o.Credentials = creds })
			_, err := exchange(t, c, exchangeInput())
			require.NoError(t, err)
			h := rec.all()[0].Header
			assert.Empty(t, h.Values("Authorization"))
			assert.Empty(t, h.Values("X-Amz-Security-Token"))
		})
	}
}

func TestCallOptionsApplyToThatCallOnly(t *testing.T) {
	c, rec := setup(t, okTokens)
	other, otherRec := setup(t, okTokens)
	otherURL := aws.ToString(other.Options().BaseEndpoint)

	_, err := exchange(t, c, exchangeInput(),
		func(o *Options) {
			o.BaseEndpoint = aws.String(otherURL)
			o.AppID = "per-call"
		},
		WithAPIOptions(smithyhttp.AddHeaderValue("X-Test-Call", "first")),
	)
	require.NoError(t, err)
	_, err = exchange(t, c, exchangeInput())
	require.NoError(t, err)

	require.Len(t, otherRec.all(), 1, "the call with a BaseEndpoint option went to that endpoint")
	first := otherRec.all()[0].Header
	assert.Contains(t, strings.Fields(first.Get("User-Agent")), "app/per-call")
	assert.Equal(t, "first", first.Get("X-Test-Call"))

	require.Len(t, rec.all(), 1, "the next call went to the client's own endpoint")
	next := rec.all()[0].Header
	assert.NotContains(t, next.Get("User-Agent"), "app/per-call")
	assert.Empty(t, next.Values("X-Test-Call"))

	opts := c.Options()
	assert.NotEqual(t, otherURL, aws.ToString(opts.BaseEndpoint))
	assert.Empty(t, opts.AppID)
	assert.Empty(t, opts.APIOptions)
}

func TestOptionsReturnsACopy(t *testing.T) {
	c, rec := setup(t, okTokens)
	opts := c.Options()
	opts.BaseEndpoint = aws.String("http://127.0.0.1:1")
	opts.APIOptions = append(opts.APIOptions, smithyhttp.AddHeaderValue("X-Test-Call", "copy"))

	_, err := exchange(t, c, exchangeInput())
	require.NoError(t, err)
	require.Len(t, rec.all(), 1)
	assert.Empty(t, rec.all()[0].Header.Values("X-Test-Call"))
}

// One client serves concurrent calls, with and without call options, each
// getting its own answer.
func TestConcurrentCalls(t *testing.T) {
	c, rec := setup(t, func(w http.ResponseWriter, _ int, req captured) {
		var body map[string]string
		if err := json.Unmarshal(req.Body, &body); err != nil {
			jsonResponse(w, 500, `{"message":"bad body"}`)
			return
		}
		jsonResponse(w, 200, `{"accessToken":"at-for-`+body["code"]+`","expiresIn":60}`)
	})

	const calls = 32
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for i := 0; i < calls; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := exchangeInput()
			in.Request.Code = aws.String("code-" + strconv.Itoa(i))
			var optFns []func(*Options)
			if i%2 == 1 {
				optFns = append(optFns, func(o *Options) { o.AppID = "odd" })
			}
			out, err := c.ExchangeCodeForToken(context.Background(), in, optFns...)
			if err == nil && aws.ToString(out.AccessToken) != "at-for-code-"+strconv.Itoa(i) {
				err = fmt.Errorf("call %d got the answer %q", i, aws.ToString(out.AccessToken))
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}

	ids := map[string]bool{}
	for _, req := range rec.all() {
		ids[req.Header.Get("Amz-Sdk-Invocation-Id")] = true
		var body map[string]string
		require.NoError(t, json.Unmarshal(req.Body, &body))
		i, err := strconv.Atoi(strings.TrimPrefix(body["code"], "code-"))
		require.NoError(t, err)
		assert.Equal(t, i%2 == 1, strings.Contains(req.Header.Get("User-Agent"), "app/odd"), "call %d", i)
	}
	assert.Len(t, ids, calls)
}

// writeContentTypeInPlace is a stack function that rewrites the request's
// Content-Type value in place, in the slice the header map holds, as a
// middleware that normalises header values might.
func writeContentTypeInPlace(value string) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Build.Add(middleware.BuildMiddlewareFunc("RewriteContentType",
			func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
				if req, ok := in.Request.(*smithyhttp.Request); ok {
					if v := req.Header["Content-Type"]; len(v) > 0 {
						v[0] = value
					}
				}
				return next.HandleBuild(ctx, in)
			}), middleware.After)
	}
}

// TestContentTypeIsEachRequestsOwn: every request has its own Content-Type
// value. A middleware that writes the value in place changes its own call's
// request only: the next call still sends application/json, and concurrent
// calls that all write it do not race (go test -race).
func TestContentTypeIsEachRequestsOwn(t *testing.T) {
	c, rec := setup(t, okTokens)
	_, err := exchange(t, c, exchangeInput(), WithAPIOptions(writeContentTypeInPlace("text/plain")))
	require.NoError(t, err)
	_, err = exchange(t, c, exchangeInput())
	require.NoError(t, err)
	got := rec.all()
	require.Len(t, got, 2)
	assert.Equal(t, "text/plain", got[0].Header.Get("Content-Type"), "the call that rewrote it")
	assert.Equal(t, "application/json", got[1].Header.Get("Content-Type"), "the next call")

	c, rec = setup(t, okTokens, WithAPIOptions(writeContentTypeInPlace("application/json")))
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				_, err := c.ExchangeCodeForToken(context.Background(), exchangeInput())
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	for _, req := range rec.all() {
		assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
	}
}
