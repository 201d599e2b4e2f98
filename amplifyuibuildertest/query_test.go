package amplifyuibuildertest_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestQueryPairsAreAllSigned: SigV4 splits the query on "&" only, so a ";"
// is part of a value, encoded %3B in the canonical query, as the service
// and botocore take it. Go's url.ParseQuery drops a pair that holds one: a
// verifier that let it would refuse a request signed over "a=1;b=2" as the
// specification says, and accept a signed request with pairs added that
// nobody signed: ones holding a ";", or a bad escape, which it drops too.
func TestQueryPairsAreAllSigned(t *testing.T) {
	srv := botocoreServer(t)
	body := `{"code":"code-unknown","redirectUri":"https://example.com/callback"}`
	// send signs the request as if its query were signedQuery, and sends
	// it with sentQuery.
	send := func(signedQuery, sentQuery string) (int, string) {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/tokens/figma", strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.URL.RawQuery = signedQuery
		sum := sha256.Sum256([]byte(body))
		require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), srv.Credentials(), req,
			hex.EncodeToString(sum[:]), "amplifyuibuilder", "us-east-1", botocoreSignedAt))
		req.URL.RawQuery = sentQuery
		resp, err := noRedirects.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("X-Amzn-Errortype")
	}

	status, code := send("a=1%3Bb%3D2", "a=1;b=2")
	assert.Equal(t, http.StatusBadRequest, status, "signed as the specification says: accepted")
	assert.Equal(t, "InvalidParameterException", code)

	for _, sent := range []string{"a=1&x=y;z", "a=1&;", ";&a=1", "a=1&b=%zz"} {
		status, code = send("a=1", sent)
		assert.Equal(t, http.StatusForbidden, status, "unsigned pairs added: %s", sent)
		assert.Equal(t, "InvalidSignatureException", code, sent)
	}
	status, _ = send("a=1", "a=1")
	assert.Equal(t, http.StatusBadRequest, status, "the control: the same query as signed")
}
