package interop_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
)

// redirectURI is the redirect URI the tests' codes are issued for.
const redirectURI = "http://localhost:3000/callback"

// forEachSDK runs check as a parallel subtest for each client, each against a
// server of its own.
func forEachSDK(t *testing.T, check func(t *testing.T, c *call)) {
	t.Parallel()
	for _, s := range sdks {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			check(t, newCall(t, s))
		})
	}
}

func TestEverySDKExchangesACodeForTokens(t *testing.T) {
	forEachSDK(t, func(t *testing.T, c *call) {
		got := c.exchange(c.srv.IssueCode(redirectURI), redirectURI)
		c.requireSuccess(got)
		assert.True(t, c.srv.AccessTokenValid(got.AccessToken), "the access token is not one the server issued")
		assert.NotEmpty(t, got.RefreshToken)
		if assert.NotNil(t, got.ExpiresIn) {
			assert.EqualValues(t, amplifyuibuildertest.DefaultAccessTokenLifetime.Seconds(), *got.ExpiresIn)
		}
		reqs := c.srv.Requests()
		require.Len(t, reqs, 1)
		assert.Equal(t, amplifyuibuildertest.OperationExchangeCodeForToken, reqs[0].Operation)
		assert.Equal(t, 200, reqs[0].Status)
	})
}

func TestEverySDKGetsTheModeledInvalidParameterExceptionForASpentCode(t *testing.T) {
	forEachSDK(t, func(t *testing.T, c *call) {
		code := c.srv.IssueCode(redirectURI)
		c.requireSuccess(c.exchange(code, redirectURI))

		got := c.exchange(code, redirectURI)
		require.NotNil(t, got.Error, "a spent code was accepted again")
		reqs := c.srv.Requests()
		require.Len(t, reqs, 2)
		assert.Equal(t, "InvalidParameterException", got.Error.Code)
		assert.Equal(t, 400, got.Error.Status)
		assert.Contains(t, got.Error.Message, "authorization code is not valid")
		assert.NotContains(t, got.Error.Message, code)
		assert.Equal(t, reqs[1].RequestID, got.Error.RequestID, "the request id the client reports is not the server's")
		if c.sdk.reportsModeled {
			assert.True(t, got.Error.Modeled, "the client did not raise its modeled InvalidParameterException")
		}
	})
}

func TestEverySDKRefreshesAToken(t *testing.T) {
	forEachSDK(t, func(t *testing.T, c *call) {
		first := c.exchange(c.srv.IssueCode(redirectURI), redirectURI)
		c.requireSuccess(first)

		got := c.refresh(first.RefreshToken)
		c.requireSuccess(got)
		assert.True(t, c.srv.AccessTokenValid(got.AccessToken), "the refreshed access token is not one the server issued")
		assert.NotEqual(t, first.AccessToken, got.AccessToken)
		assert.NotNil(t, got.ExpiresIn)
		reqs := c.srv.Requests()
		require.Len(t, reqs, 2)
		assert.Equal(t, amplifyuibuildertest.OperationRefreshToken, reqs[1].Operation)
		assert.Equal(t, 200, reqs[1].Status)
	})
}

func TestEverySDKGetsInvalidSignatureExceptionForAWrongSecret(t *testing.T) {
	forEachSDK(t, func(t *testing.T, c *call) {
		c.env["AWS_SECRET_ACCESS_KEY"] += "-wrong"
		got := c.exchange(c.srv.IssueCode(redirectURI), redirectURI)
		require.NotNil(t, got.Error, "a request signed with a wrong secret was accepted")
		assert.Equal(t, "InvalidSignatureException", got.Error.Code)
		assert.Equal(t, 403, got.Error.Status)
		reqs := c.srv.Requests()
		require.Len(t, reqs, 1, "a 403 is not retried")
		assert.Equal(t, "InvalidSignatureException", reqs[0].ErrorCode)
		assert.Equal(t, reqs[0].RequestID, got.Error.RequestID)
	})
}

func TestEverySDKIsServedInANonDefaultRegion(t *testing.T) {
	const region = "eu-west-1"
	forEachSDK(t, func(t *testing.T, c *call) {
		c.withRegion(region)
		c.requireSuccess(c.exchange(c.srv.IssueCode(redirectURI), redirectURI))
		reqs := c.srv.Requests()
		require.Len(t, reqs, 1)
		assert.Equal(t, region, reqs[0].Region, "the request was not signed for %s", region)
	})
}

func TestEverySDKIsAcceptedWithDotSegmentsInThePath(t *testing.T) {
	const prefix = "/x/.."
	forEachSDK(t, func(t *testing.T, c *call) {
		c.withPathPrefix(prefix)
		c.requireSuccess(c.exchange(c.srv.IssueCode(redirectURI), redirectURI))
		reqs := c.srv.Requests()
		require.Len(t, reqs, 1)
		assert.Equal(t, prefix+"/tokens/figma", reqs[0].Path, "the path did not reach the server with its dot segments")
	})
}

func TestEverySDKIsAcceptedWithATabInASignedHeader(t *testing.T) {
	const name, value = "X-Interop-Note", "a tab\there"
	forEachSDK(t, func(t *testing.T, c *call) {
		c.withHeader(name, value)
		c.requireSuccess(c.exchange(c.srv.IssueCode(redirectURI), redirectURI))
		reqs := c.srv.Requests()
		require.Len(t, reqs, 1)
		assert.Equal(t, value, reqs[0].Header.Get(name), "the header did not reach the server with its tab")
		assert.Contains(t, signedHeaders(t, reqs[0]), strings.ToLower(name), "the header was not signed")
	})
}

func TestEverySDKRetriesAServerFault(t *testing.T) {
	forEachSDK(t, func(t *testing.T, c *call) {
		c.srv.FailNext(1, 500, "InternalServerException")
		got := c.exchange(c.srv.IssueCode(redirectURI), redirectURI)
		c.requireSuccess(got)
		assert.True(t, c.srv.AccessTokenValid(got.AccessToken))
		reqs := c.srv.Requests()
		require.Len(t, reqs, 2, "the fault was not retried once")
		assert.Equal(t, 500, reqs[0].Status)
		assert.Equal(t, 200, reqs[1].Status)
		assert.Equal(t, reqs[0].Body, reqs[1].Body, "the retry sent another body")
	})
}

// authorizationParams returns the parameters of req's SigV4 Authorization
// header: Credential, SignedHeaders and Signature.
func authorizationParams(t *testing.T, req amplifyuibuildertest.Request) map[string]string {
	t.Helper()
	algorithm, rest, _ := strings.Cut(req.Header.Get("Authorization"), " ")
	require.Equal(t, "AWS4-HMAC-SHA256", algorithm, "the request is not signed with SigV4")
	params := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		key, value, _ := strings.Cut(strings.TrimSpace(part), "=")
		params[key] = value
	}
	return params
}

// signedHeaders returns the names of the headers req was signed with.
func signedHeaders(t *testing.T, req amplifyuibuildertest.Request) []string {
	t.Helper()
	return strings.Split(authorizationParams(t, req)["SignedHeaders"], ";")
}
