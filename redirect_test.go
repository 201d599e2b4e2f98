package amplifyuibuilder

import (
	"bytes"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The service never redirects (SPEC.md, "Redirects"): following a 307 or 308
// would re-send the code, the client id and the signature to whatever
// Location says, and return the tokens of whoever answers there.

// redirectTarget is where a hostile redirect points: it answers with tokens
// of its own and counts what reaches it.
func redirectTarget(t *testing.T) (url string, hits *atomic.Int32) {
	t.Helper()
	hits = new(atomic.Int32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		jsonResponse(w, 200, `{"accessToken":"at-from-the-redirect","expiresIn":3600}`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, hits
}

// redirecting answers every request with status and a Location at target.
func redirecting(status int, target string) func(http.ResponseWriter, int, captured) {
	return func(w http.ResponseWriter, _ int, _ captured) {
		w.Header().Set("Location", target+"/tokens/figma")
		w.Header().Set("X-Amzn-Requestid", "req-redirect")
		w.WriteHeader(status)
	}
}

var redirectStatuses = []int{301, 302, 303, 307, 308}

// TestRedirectsRefusedByTheDefaultClient: whichever SDK client sends the
// calls (the default, the aws.Config's that config.LoadDefaultConfig makes, a
// BuildableClient given to one call), a 3xx is an error response with its
// status and request id, not retried, and nothing reaches the Location.
func TestRedirectsRefusedByTheDefaultClient(t *testing.T) {
	isolateAWSEnvironment(t)
	clients := []struct {
		name string
		tls  bool
		make func(t *testing.T, srv *httptest.Server) (*Client, []func(*Options))
	}{
		{"default", false, func(_ *testing.T, srv *httptest.Server) (*Client, []func(*Options)) {
			return newTestClient(srv.URL), nil
		}},
		// With a CA bundle, LoadDefaultConfig puts a BuildableClient in
		// aws.Config.HTTPClient; the redirecting server is HTTPS, its
		// Location plain HTTP.
		{"config.LoadDefaultConfig with a CA bundle", true, func(t *testing.T, srv *httptest.Server) (*Client, []func(*Options)) {
			bundle := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
			cfg := loadConfig(t, "[default]\nregion = us-west-2\n",
				config.WithBaseEndpoint(srv.URL), config.WithCustomCABundle(bytes.NewReader(bundle)))
			require.IsType(t, &awshttp.BuildableClient{}, cfg.HTTPClient, "the SDK's own client")
			return NewFromConfig(cfg, func(o *Options) { o.Retryer = noWaitRetryer(3) }), nil
		}},
		{"BuildableClient for one call", false, func(_ *testing.T, srv *httptest.Server) (*Client, []func(*Options)) {
			return newTestClient(srv.URL), []func(*Options){func(o *Options) {
				o.HTTPClient = awshttp.NewBuildableClient()
			}}
		}},
	}
	for _, client := range clients {
		for _, status := range redirectStatuses {
			t.Run(client.name+"/"+strconv.Itoa(status), func(t *testing.T) {
				target, targetHits := redirectTarget(t)
				rec := &recorder{}
				srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					c, attempt := rec.add(r)
					redirecting(status, target)(w, attempt, c)
				}))
				if client.tls {
					srv.StartTLS()
				} else {
					srv.Start()
				}
				t.Cleanup(srv.Close)
				c, optFns := client.make(t, srv)

				out, err := exchange(t, c, exchangeInput(), optFns...)
				assert.Nil(t, out)
				requireOperationError(t, err, "ExchangeCodeForToken")
				requireResponseError(t, err, status, "req-redirect")
				assert.Zero(t, targetHits.Load(), "nothing was sent to the Location")
				assert.Len(t, rec.all(), 1, "a redirect is not retried")
			})
		}
	}
}

// TestRedirectsOfTheCallersOwnClient: a client of the caller's that is not
// the SDK's keeps its own redirect policy; net/http's follows a 307.
func TestRedirectsOfTheCallersOwnClient(t *testing.T) {
	target, targetHits := redirectTarget(t)
	c, _ := setup(t, redirecting(307, target), func(o *Options) { o.HTTPClient = &http.Client{} })
	out, err := exchange(t, c, exchangeInput())
	require.NoError(t, err)
	assert.Equal(t, "at-from-the-redirect", aws.ToString(out.AccessToken))
	assert.Equal(t, int32(1), targetHits.Load())
}

// TestRefuseRedirectsKeepsTheBuildableClientsSettings: the redirect-refusing
// client is the BuildableClient's own, its timeout included, made once per
// client.
func TestRefuseRedirectsKeepsTheBuildableClientsSettings(t *testing.T) {
	b := awshttp.NewBuildableClient().WithTimeout(42 * time.Second)
	client, ok := refuseRedirects(b).(*http.Client)
	require.True(t, ok)
	assert.Equal(t, b.GetTimeout(), client.Timeout)
	assert.Equal(t, http.ErrUseLastResponse, client.CheckRedirect(nil, nil))
	c := New(Options{Region: testRegion, HTTPClient: b})
	assert.Same(t, c.sender, c.sendingClient(b), "one redirect-refusing client per client, so connections are reused")
	assert.Same(t, b, c.Options().HTTPClient, "Options still show the caller's BuildableClient")
}
