package amplifyuibuilder

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
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
	auth, err := signatureOver(req, region, payloadHash)
	require.NoError(t, err)
	return auth
}

// signatureOver is resignOver for a server's handler: an error instead of a
// failed test.
func signatureOver(req captured, region, payloadHash string) (string, error) {
	auth, err := parseAuthorizationValue(req.Header.Get("Authorization"))
	if err != nil {
		return "", err
	}
	signingTime, err := time.Parse("20060102T150405Z", req.Header.Get("X-Amz-Date"))
	if err != nil {
		return "", err
	}

	host := req.Header.Get("Host")
	r, err := http.NewRequest(req.Method, "http://"+host+req.RequestURI, bytes.NewReader(req.Body))
	if err != nil {
		return "", err
	}
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
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, payloadHash, "amplifyuibuilder", region, signingTime); err != nil {
		return "", err
	}
	return r.Header.Get("Authorization"), nil
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

// checkingSignature answers a request whose signature does not verify over
// the body that arrived (resign) with a 403, as the service does, and hands
// every other one to respond.
func checkingSignature(respond func(w http.ResponseWriter, attempt int, req captured)) func(http.ResponseWriter, int, captured) {
	return func(w http.ResponseWriter, attempt int, req captured) {
		sum := sha256.Sum256(req.Body)
		want, err := signatureOver(req, testRegion, hex.EncodeToString(sum[:]))
		if err != nil || req.Header.Get("Authorization") != want {
			errorResponse(w, http.StatusForbidden, map[string]string{"X-Amzn-Errortype": "InvalidSignatureException"},
				`{"message":"The request signature we calculated does not match the signature you provided."}`)
			return
		}
		respond(w, attempt, req)
	}
}

// replaceBody is a stack function that gives the request another body after
// serialization, in the given step: a Build middleware (once per call) or a
// Finalize one just after Retry (once per attempt). body returns the body of
// the n-th time it runs, counting from 1.
func replaceBody(step string, body func(n int) string) func(*middleware.Stack) error {
	var n int
	replace := func(in any) (any, error) {
		n++
		req := in.(*smithyhttp.Request)
		return req.SetStream(strings.NewReader(body(n)))
	}
	return func(s *middleware.Stack) error {
		if step == "Build" {
			return s.Build.Add(middleware.BuildMiddlewareFunc("ReplaceBody", func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
				r, err := replace(in.Request)
				if err != nil {
					return middleware.BuildOutput{}, middleware.Metadata{}, err
				}
				in.Request = r
				return next.HandleBuild(ctx, in)
			}), middleware.After)
		}
		return s.Finalize.Insert(middleware.FinalizeMiddlewareFunc("ReplaceBody", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			r, err := replace(in.Request)
			if err != nil {
				return middleware.FinalizeOutput{}, middleware.Metadata{}, err
			}
			in.Request = r
			return next.HandleFinalize(ctx, in)
		}), "Retry", middleware.After)
	}
}

// ComputePayloadHash hashes the serialized body once per call; a body a stack
// function put in its place is hashed as it is sent, on every attempt.
func TestReplacedBodyIsHashedAsSent(t *testing.T) {
	t.Run("before the retry loop", func(t *testing.T) {
		c, rec := setup(t, checkingSignature(failThenOK(1, 503, "")),
			WithAPIOptions(replaceBody("Build", func(int) string { return `{"replaced":true}` })))
		_, err := exchange(t, c, exchangeInput())
		require.NoError(t, err)
		reqs := rec.all()
		require.Len(t, reqs, 2)
		for i, req := range reqs {
			assert.Equal(t, `{"replaced":true}`, string(req.Body), "attempt %d", i+1)
		}
	})
	t.Run("on every attempt", func(t *testing.T) {
		c, rec := setup(t, checkingSignature(failThenOK(2, 503, "")),
			WithAPIOptions(replaceBody("Finalize", func(n int) string { return fmt.Sprintf(`{"attempt":%d}`, n) })))
		_, err := exchange(t, c, exchangeInput())
		require.NoError(t, err)
		reqs := rec.all()
		require.Len(t, reqs, 3)
		for i, req := range reqs {
			assert.Equal(t, fmt.Sprintf(`{"attempt":%d}`, i+1), string(req.Body))
		}
	})
	t.Run("the serialized body", func(t *testing.T) {
		// The control: the shortcut's hash verifies too, on every attempt.
		c, rec := setup(t, checkingSignature(failThenOK(2, 503, "")))
		_, err := exchange(t, c, exchangeInput())
		require.NoError(t, err)
		require.Len(t, rec.all(), 3)
	})
}

// parseAuthorizationValue is parseAuthorization for a server's handler.
func parseAuthorizationValue(value string) (sigV4Authorization, error) {
	m := authorizationPattern.FindStringSubmatch(value)
	if m == nil {
		return sigV4Authorization{}, fmt.Errorf("not a SigV4 Authorization header: %q", value)
	}
	return sigV4Authorization{
		AccessKeyID: m[1], Date: m[2], Region: m[3], Service: m[4],
		SignedHeaders: strings.Split(m[5], ";"), Signature: m[6],
	}, nil
}

// ComputePayloadHash does what v4.ComputePayloadSHA256 does, stream by
// stream: the same hash in the context, the same error, the stream left at
// the same place.
func TestComputePayloadHashIsTheSDKs(t *testing.T) {
	type result struct {
		hash, err string
		rest      string // what is left to read of the stream afterwards
		called    bool
	}
	body := []byte(`{"code":"abc"}`)
	streams := map[string]func() (context.Context, any){
		"the serialized payload": func() (context.Context, any) {
			return context.Background(), requestWith(t, newPayload(body))
		},
		"the payload, partly read": func() (context.Context, any) {
			p := newPayload(body)
			_, _ = p.Read(make([]byte, 3))
			return context.Background(), requestWith(t, p)
		},
		"another reader": func() (context.Context, any) { return context.Background(), requestWith(t, strings.NewReader("other")) },
		"not seekable": func() (context.Context, any) {
			return context.Background(), requestWith(t, io.LimitReader(strings.NewReader("x"), 1))
		},
		"no body":             func() (context.Context, any) { return context.Background(), requestWith(t, nil) },
		"not an HTTP request": func() (context.Context, any) { return context.Background(), "request" },
		"a hash already set": func() (context.Context, any) {
			return v4.SetPayloadHash(context.Background(), "preset"), requestWith(t, newPayload(body))
		},
	}
	run := func(m middleware.FinalizeMiddleware, ctx context.Context, req any) result {
		var r result
		_, _, err := m.HandleFinalize(ctx, middleware.FinalizeInput{Request: req}, middleware.FinalizeHandlerFunc(
			func(ctx context.Context, in middleware.FinalizeInput) (middleware.FinalizeOutput, middleware.Metadata, error) {
				r.called = true
				r.hash = v4.GetPayloadHash(ctx)
				return middleware.FinalizeOutput{}, middleware.Metadata{}, nil
			}))
		if err != nil {
			var hashErr *v4.HashComputationError
			require.ErrorAs(t, err, &hashErr)
			r.err = err.Error()
		}
		if sr, ok := req.(*smithyhttp.Request); ok && sr.GetStream() != nil {
			rest, _ := io.ReadAll(sr.GetStream())
			r.rest = string(rest)
		}
		return r
	}
	for name, stream := range streams {
		t.Run(name, func(t *testing.T) {
			ctx, req := stream()
			ours := run(&computePayloadHash{}, ctx, req)
			ctx, req = stream()
			sdk := run(&v4.ComputePayloadSHA256{}, ctx, req)
			assert.Equal(t, sdk, ours)
		})
	}
	assert.Equal(t, "ComputePayloadHash", (&computePayloadHash{}).ID())
}

// requestWith is a request with the given stream, as smithy-go sets it.
func requestWith(t *testing.T, stream io.Reader) *smithyhttp.Request {
	t.Helper()
	req, err := smithyhttp.NewStackRequest().(*smithyhttp.Request).SetStream(stream)
	require.NoError(t, err)
	return req
}
