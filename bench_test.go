package amplifyuibuilder

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// The benchmarks run each operation through this client ("impl=ours") and
// through the floor ("impl=floor"): the same call written by hand with
// net/http, encoding/json and the aws-sdk-go-v2 SigV4 signer, which is what
// a call cannot cost less than. Both sides send the same request with the
// same credentials over the same kind of transport and get the same canned
// answer, so that
//
//	go test -run '^$' -bench . -benchmem -count 10 . > bench.txt
//	benchstat -col /impl@(floor ours) bench.txt
//
// prints our cost next to the floor's, with the ratio. See BENCHMARKS.md.

func BenchmarkExchangeCodeForToken(b *testing.B) { benchmarkOperation(b, exchangeBench) }

func BenchmarkRefreshToken(b *testing.B) { benchmarkOperation(b, refreshBench) }

// exchangeBench and refreshBench are the two operations as the benchmarks,
// the paired harness (bench_paired_test.go) and the allocation accounting
// (allocs_test.go) call them.
var (
	exchangeBench = benchOperation{
		name:     "ExchangeCodeForToken",
		response: `{"accessToken":"at-0123456789abcdef","expiresIn":3600,"refreshToken":"rt-0123456789abcdef"}`,
		ours: func(ctx context.Context, c *Client) error {
			out, err := c.ExchangeCodeForToken(ctx, &ExchangeCodeForTokenInput{
				Provider: types.TokenProvidersFigma,
				Request:  &types.ExchangeCodeForTokenRequestBody{Code: benchCode, RedirectUri: benchRedirectURI, ClientId: benchClientID},
			})
			if err == nil && (out.AccessToken == nil || out.RefreshToken == nil || out.ExpiresIn == nil) {
				err = errors.New("output is missing members")
			}
			return err
		},
		floor: func(ctx context.Context, f *floorClient) error {
			var out floorTokens
			err := f.post(ctx, "/tokens/"+url.PathEscape(string(types.TokenProvidersFigma)),
				floorExchangeBody{Code: benchCode, RedirectURI: benchRedirectURI, ClientID: benchClientID}, &out)
			if err == nil && (out.AccessToken == nil || out.RefreshToken == nil || out.ExpiresIn == nil) {
				err = errors.New("output is missing members")
			}
			return err
		},
	}
	refreshBench = benchOperation{
		name:     "RefreshToken",
		response: `{"accessToken":"at-0123456789abcdef","expiresIn":3600}`,
		ours: func(ctx context.Context, c *Client) error {
			out, err := c.RefreshToken(ctx, &RefreshTokenInput{
				Provider:         types.TokenProvidersFigma,
				RefreshTokenBody: &types.RefreshTokenRequestBody{Token: benchRefreshToken, ClientId: benchClientID},
			})
			if err == nil && (out.AccessToken == nil || out.ExpiresIn == nil) {
				err = errors.New("output is missing members")
			}
			return err
		},
		floor: func(ctx context.Context, f *floorClient) error {
			var out floorTokens
			err := f.post(ctx, "/tokens/"+url.PathEscape(string(types.TokenProvidersFigma))+"/refresh",
				floorRefreshBody{Token: benchRefreshToken, ClientID: benchClientID}, &out)
			if err == nil && (out.AccessToken == nil || out.ExpiresIn == nil) {
				err = errors.New("output is missing members")
			}
			return err
		},
	}
)

// The members of the benchmark requests, the same on both sides.
var (
	benchCode         = aws.String("code-0123456789abcdef")
	benchRedirectURI  = aws.String("https://example.com/callback")
	benchClientID     = aws.String("client-0123456789")
	benchRefreshToken = aws.String("rt-0123456789abcdef")
)

// benchOperation is one operation as the harness calls it: through our client
// and through the floor. Each call checks its output, so that a benchmark
// cannot measure a call that quietly failed to decode.
type benchOperation struct {
	name     string
	response string // the body of the canned 200 answer
	ours     func(context.Context, *Client) error
	floor    func(context.Context, *floorClient) error
}

// benchImpl makes the call of one side, sending through client to endpoint.
type benchImpl struct {
	name string
	call func(op benchOperation, client HTTPClient, endpoint string) func(context.Context) error
}

var benchImpls = []benchImpl{
	{"ours", func(op benchOperation, client HTTPClient, endpoint string) func(context.Context) error {
		c := New(Options{
			Region:       testRegion,
			BaseEndpoint: aws.String(endpoint),
			Credentials:  benchCredentials(),
			HTTPClient:   client,
		})
		return func(ctx context.Context) error { return op.ours(ctx, c) }
	}},
	{"floor", func(op benchOperation, client HTTPClient, endpoint string) func(context.Context) error {
		f := &floorClient{
			http: client, endpoint: endpoint, region: testRegion,
			credentials: benchCredentials(), signer: v4.NewSigner(),
		}
		return func(ctx context.Context) error { return op.floor(ctx, f) }
	}},
}

func benchCredentials() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(testAccessKeyID, testSecretAccessKey, testSessionToken)
}

// benchmarkOperation runs op on both sides, in memory, over loopback, and
// over loopback from parallel goroutines.
func benchmarkOperation(b *testing.B, op benchOperation) {
	for _, impl := range benchImpls {
		b.Run("impl="+impl.name+"/inmemory", func(b *testing.B) {
			call := impl.call(op, newCannedClient(op.response), "https://amplifyuibuilder.us-west-2.amazonaws.com")
			runSequential(b, call)
		})
		b.Run("impl="+impl.name+"/loopback", func(b *testing.B) {
			srv := newCannedServer(b, op.response)
			runSequential(b, impl.call(op, newKeepAliveClient(), srv.URL))
		})
		b.Run("impl="+impl.name+"/loopback-parallel", func(b *testing.B) {
			srv := newCannedServer(b, op.response)
			call := impl.call(op, newKeepAliveClient(), srv.URL)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for pb.Next() {
					if err := call(ctx); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

func runSequential(b *testing.B, call func(context.Context) error) {
	ctx := context.Background()
	if err := call(ctx); err != nil { // warm up: connection, pools
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := call(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// cannedHeader is the header of every canned answer, in memory and over
// loopback.
func cannedHeader() http.Header {
	return http.Header{
		"Content-Type":     {"application/json"},
		"X-Amzn-Requestid": {"3f6e1c9a-5b2d-4e8f-9a1b-0c2d3e4f5a6b"},
		"Date":             {time.Now().UTC().Format(http.TimeFormat)},
	}
}

// cannedClient answers every request in memory, as a transport would: it
// reads the request body, then returns a fresh response whose body reads
// the canned bytes. The header is shared: a client must not change a
// response's header.
type cannedClient struct {
	header http.Header
	body   []byte
}

func newCannedClient(body string) *cannedClient {
	return &cannedClient{header: cannedHeader(), body: []byte(body)}
}

func (c *cannedClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		if _, err := io.Copy(io.Discard, req.Body); err != nil {
			return nil, err
		}
		_ = req.Body.Close()
	}
	return &http.Response{
		Status:        "200 OK",
		StatusCode:    http.StatusOK,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        c.header,
		ContentLength: int64(len(c.body)),
		Body:          io.NopCloser(bytes.NewReader(c.body)),
		Request:       req,
	}, nil
}

// newCannedServer starts a loopback server that reads each request and
// answers it with body.
func newCannedServer(tb testing.TB, body string) *httptest.Server {
	header := cannedHeader()
	delete(header, "Date") // the server sets its own
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		for name, values := range header {
			w.Header()[name] = values
		}
		_, _ = io.WriteString(w, body)
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// newKeepAliveClient is the HTTP client of both sides over loopback: a plain
// keep-alive transport with room for an idle connection per goroutine.
func newKeepAliveClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		MaxIdleConns:        100,
		MaxIdleConnsPerHost: 100,
		IdleConnTimeout:     90 * time.Second,
	}}
}

// floorClient makes the token calls the plainest correct way: marshal the
// body, build the request, sign it, send it, decode the answer, and read
// the body to its end so that the connection is reused.
type floorClient struct {
	http        HTTPClient
	endpoint    string
	region      string
	credentials aws.CredentialsProvider
	signer      *v4.Signer
}

type floorExchangeBody struct {
	ClientID    *string `json:"clientId,omitempty"`
	Code        *string `json:"code"`
	RedirectURI *string `json:"redirectUri"`
}

type floorRefreshBody struct {
	ClientID *string `json:"clientId,omitempty"`
	Token    *string `json:"token"`
}

type floorTokens struct {
	AccessToken  *string `json:"accessToken"`
	ExpiresIn    *int32  `json:"expiresIn"`
	RefreshToken *string `json:"refreshToken"`
}

func (f *floorClient) post(ctx context.Context, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.endpoint+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	creds, err := f.credentials.Retrieve(ctx)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	if err := f.signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), signingName, f.region, time.Now()); err != nil {
		return err
	}
	resp, err := f.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, resp.Body)
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}
