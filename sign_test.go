package amplifyuibuilder

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// resign computes, with the aws-sdk-go-v2 signer and nothing the client
// computed, the Authorization header the captured request should carry: the
// signed headers named in its own Authorization header, its X-Amz-Date as the
// signing time, and the SHA-256 of the body that arrived as the payload hash.
// Every test credential has the secret key testSecretAccessKey.
func resign(t *testing.T, req captured, region string) string {
	t.Helper()
	sum := sha256.Sum256(req.Body)
	return resignOver(t, req, region, hex.EncodeToString(sum[:]))
}

// resignOver is resign with the payload hash given: the hex SHA-256 of the
// body, or "UNSIGNED-PAYLOAD".
func resignOver(t *testing.T, req captured, region, payloadHash string) string {
	t.Helper()
	auth := parseAuthorization(t, req.Header.Get("Authorization"))
	signingTime, err := time.Parse("20060102T150405Z", req.Header.Get("X-Amz-Date"))
	require.NoError(t, err)

	host := req.Header.Get("Host")
	r, err := http.NewRequest(req.Method, "http://"+host+req.RequestURI, bytes.NewReader(req.Body))
	require.NoError(t, err)
	r.Host = host
	r.ContentLength = int64(len(req.Body))
	for _, name := range auth.SignedHeaders {
		switch name {
		case "host", "content-length", "x-amz-date", "x-amz-security-token":
			// The signer writes these itself, from the request and the
			// credentials.
		default:
			r.Header[http.CanonicalHeaderKey(name)] = req.Header.Values(name)
		}
	}

	creds := aws.Credentials{
		AccessKeyID: auth.AccessKeyID, SecretAccessKey: testSecretAccessKey,
		SessionToken: req.Header.Get("X-Amz-Security-Token"),
	}
	err = v4.NewSigner().SignHTTP(context.Background(), creds, r, payloadHash, "amplifyuibuilder", region, signingTime)
	require.NoError(t, err)
	return r.Header.Get("Authorization")
}

func TestSignatureMatchesIndependentSigner(t *testing.T) {
	cases := []struct {
		name     string
		provider types.TokenProviders
		prefix   string // BaseEndpoint path
	}{
		{name: "plain label", provider: types.TokenProvidersFigma},
		{name: "escaped label", provider: "fi gma/../x?y#z"},
		{name: "base endpoint with a path prefix", provider: "a b", prefix: "/prefix/a%20b"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, rec := setup(t, okTokens)
			in := exchangeInput()
			in.Provider = tc.provider
			_, err := exchange(t, c, in, func(o *Options) {
				o.BaseEndpoint = aws.String(aws.ToString(o.BaseEndpoint) + tc.prefix)
			})
			require.NoError(t, err)

			reqs := rec.all()
			require.Len(t, reqs, 1)
			req := reqs[0]
			assert.True(t, strings.HasPrefix(req.RequestURI, tc.prefix+"/tokens/"), req.RequestURI)
			assert.Equal(t, resign(t, req, testRegion), req.Header.Get("Authorization"))

			signed := parseAuthorization(t, req.Header.Get("Authorization")).SignedHeaders
			for _, name := range []string{"content-type", "host", "x-amz-date", "x-amz-security-token", "amz-sdk-invocation-id", "amz-sdk-request"} {
				assert.Contains(t, signed, name)
			}
			assert.NotContains(t, signed, "user-agent", "the user agent is never signed")
		})
	}
}

// countingSigner counts the requests it signs.
type countingSigner struct {
	HTTPSignerV4
	mu    sync.Mutex
	calls int
}

func (s *countingSigner) SignHTTP(ctx context.Context, creds aws.Credentials, r *http.Request, payloadHash, service, region string, signingTime time.Time, optFns ...func(*v4.SignerOptions)) error {
	s.mu.Lock()
	s.calls++
	s.mu.Unlock()
	return s.HTTPSignerV4.SignHTTP(ctx, creds, r, payloadHash, service, region, signingTime, optFns...)
}

func TestEveryAttemptIsSignedAgain(t *testing.T) {
	signer := &countingSigner{HTTPSignerV4: v4.NewSigner()}
	c, rec := setup(t, failThenOK(2, 503, ""), func(o *Options) { o.HTTPSignerV4 = signer })

	_, err := exchange(t, c, exchangeInput())
	require.NoError(t, err)

	reqs := rec.all()
	require.Len(t, reqs, 3)
	assert.Equal(t, 3, signer.calls)
	for i, req := range reqs {
		// Amz-Sdk-Request changes between attempts and is signed: a signature
		// carried over from an earlier attempt would not verify.
		requireSDKRequestHeader(t, req.Header.Get("Amz-Sdk-Request"), i+1, 3)
		assert.Equal(t, resign(t, req, testRegion), req.Header.Get("Authorization"), "attempt %d", i+1)
		assert.Equal(t, string(reqs[0].Body), string(req.Body), "attempt %d sends the whole body", i+1)
	}
}

func TestSigningNameAndRegionOverrides(t *testing.T) {
	c, rec := setup(t, okTokens)
	_, err := exchange(t, c, exchangeInput(), WithSigV4SigningRegion("eu-central-1"), WithSigV4SigningName("custom"))
	require.NoError(t, err)
	_, err = exchange(t, c, exchangeInput())
	require.NoError(t, err)

	reqs := rec.all()
	require.Len(t, reqs, 2)
	overridden := parseAuthorization(t, reqs[0].Header.Get("Authorization"))
	assert.Equal(t, "eu-central-1", overridden.Region)
	assert.Equal(t, "custom", overridden.Service)
	plain := parseAuthorization(t, reqs[1].Header.Get("Authorization"))
	assert.Equal(t, testRegion, plain.Region)
	assert.Equal(t, "amplifyuibuilder", plain.Service)
}

func TestCredentialErrorFailsTheCallUnsent(t *testing.T) {
	failing := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{}, assert.AnError
	})
	c, rec := setup(t, okTokens, func(o *Options) { o.Credentials = failing })
	_, err := exchange(t, c, exchangeInput())
	requireOperationError(t, err, "ExchangeCodeForToken")
	assert.ErrorIs(t, err, assert.AnError)
	assert.Empty(t, rec.all())
}

// The three v4 payload-hash helpers work in APIOptions as with any
// aws-sdk-go-v2 client: they find ComputePayloadHash in the Finalize step.
func TestV4PayloadHashHelpers(t *testing.T) {
	t.Run("swapped for UNSIGNED-PAYLOAD", func(t *testing.T) {
		c, rec := setup(t, okTokens, WithAPIOptions(v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware))
		_, err := exchange(t, c, exchangeInput())
		require.NoError(t, err)
		req := rec.all()[0]
		assert.Equal(t, resignOver(t, req, testRegion, "UNSIGNED-PAYLOAD"), req.Header.Get("Authorization"),
			"signed over UNSIGNED-PAYLOAD")
		assert.NotEqual(t, resign(t, req, testRegion), req.Header.Get("Authorization"), "not over the body's hash")
	})
	t.Run("X-Amz-Content-Sha256 added", func(t *testing.T) {
		c, rec := setup(t, okTokens, WithAPIOptions(v4.AddContentSHA256HeaderMiddleware))
		_, err := exchange(t, c, exchangeInput())
		require.NoError(t, err)
		req := rec.all()[0]
		sum := sha256.Sum256(req.Body)
		assert.Equal(t, hex.EncodeToString(sum[:]), req.Header.Get("X-Amz-Content-Sha256"))
		assert.Contains(t, parseAuthorization(t, req.Header.Get("Authorization")).SignedHeaders, "x-amz-content-sha256")
		assert.Equal(t, resign(t, req, testRegion), req.Header.Get("Authorization"))
	})
	t.Run("removed", func(t *testing.T) {
		var finalize []string
		c, rec := setup(t, okTokens, WithAPIOptions(v4.RemoveComputePayloadSHA256Middleware, func(s *middleware.Stack) error {
			finalize = s.Finalize.List()
			return nil
		}))
		_, err := exchange(t, c, exchangeInput())
		require.NoError(t, err)
		assert.NotContains(t, finalize, "ComputePayloadHash")
		assert.Len(t, rec.all(), 1, "the request is still sent")
		// With no hash in the context the signer signs over the empty
		// string, as an aws-sdk-go-v2 client's signer does.
		req := rec.all()[0]
		assert.Equal(t, resignOver(t, req, testRegion, ""), req.Header.Get("Authorization"))
	})
}
