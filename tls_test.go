package amplifyuibuilder

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tlsServer starts a loopback HTTPS server with httptest's self-signed
// certificate, TLS versions limited to [minVersion, maxVersion], answering
// every request with tokens. reached counts the requests that got through.
func tlsServer(t *testing.T, minVersion, maxVersion uint16) (srv *httptest.Server, reached *atomic.Int32) {
	t.Helper()
	reached = new(atomic.Int32)
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		reached.Add(1)
		okTokens(w, 0, captured{})
	}))
	srv.TLS = &tls.Config{MinVersion: minVersion, MaxVersion: maxVersion}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, reached
}

// trusting returns the client's default HTTP client (an aws-sdk-go-v2
// BuildableClient, with its TLS settings) that also trusts srv's certificate.
func trusting(srv *httptest.Server) *awshttp.BuildableClient {
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	return awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.TLSClientConfig.RootCAs = roots
	})
}

// TestTLSVerifiesTheServerCertificate: with the default HTTP client, a server
// whose certificate the system roots do not vouch for is refused before any
// request reaches it; the same server, once trusted, answers.
func TestTLSVerifiesTheServerCertificate(t *testing.T) {
	srv, reached := tlsServer(t, tls.VersionTLS12, 0)

	_, err := exchange(t, newTestClient(srv.URL), exchangeInput())
	var unknownAuthority x509.UnknownAuthorityError
	require.ErrorAs(t, err, &unknownAuthority, "got %v", err)
	assert.Zero(t, reached.Load(), "no request reached an unverified server")

	out, err := exchange(t, newTestClient(srv.URL, func(o *Options) { o.HTTPClient = trusting(srv) }), exchangeInput())
	require.NoError(t, err)
	assert.Equal(t, "at-1", *out.AccessToken)
	assert.Equal(t, int32(1), reached.Load())
}

// TestTLSRefusesVersionsBelow12: the default HTTP client, as New makes it,
// speaks TLS 1.2 at least. A server that offers only TLS 1.0 and 1.1 is
// refused at version negotiation; one that offers 1.2 gets past it, to the
// certificate check, which fails because the system roots do not vouch for
// httptest's certificate: the client is not swapped for a trusting one, so
// that it is the default's minimum that is tested.
func TestTLSRefusesVersionsBelow12(t *testing.T) {
	old, reached := tlsServer(t, tls.VersionTLS10, tls.VersionTLS11)
	_, err := exchange(t, newTestClient(old.URL), exchangeInput())
	require.Error(t, err)
	assert.ErrorContains(t, err, "protocol version")
	var unknownAuthority x509.UnknownAuthorityError
	assert.False(t, errors.As(err, &unknownAuthority), "refused before the certificate: %v", err)
	assert.Zero(t, reached.Load())

	current, reached := tlsServer(t, tls.VersionTLS12, tls.VersionTLS12)
	_, err = exchange(t, newTestClient(current.URL), exchangeInput())
	require.ErrorAs(t, err, &unknownAuthority, "TLS 1.2 negotiated, then the certificate checked: %v", err)
	assert.Zero(t, reached.Load())
}
