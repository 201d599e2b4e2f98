package amplifyuibuildertest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// TestServerAndRequestPrintRedacted: a Server, and the Requests it
// recorded, printed with any verb (by value, by pointer, in a slice) show
// none of the secret key, session token, code, client id or tokens, and
// no signature; the recorded fields themselves still hold them.
func TestServerAndRequestPrintRedacted(t *testing.T) {
	creds := aws.Credentials{AccessKeyID: "AKIDPRINTTEST", SecretAccessKey: "secret-key-print-test", SessionToken: "session-token-print-test"}
	srv := startServer(t, amplifyuibuildertest.WithCredentials(creds))
	client := newClient(srv)
	code := srv.IssueCode(redirectURI)
	in := exchangeInput(code, redirectURI)
	in.Request.ClientId = aws.String("client-id-print-test")
	out, err := exchange(t, client, in)
	require.NoError(t, err)
	_, err = client.RefreshToken(t.Context(), &amplifyuibuilder.RefreshTokenInput{
		Provider:         types.TokenProvidersFigma,
		RefreshTokenBody: &types.RefreshTokenRequestBody{Token: out.RefreshToken},
	})
	require.NoError(t, err)

	requests := srv.Requests()
	require.Len(t, requests, 2)
	req, err := http.NewRequest(http.MethodGet, srv.AuthorizeURL(), nil)
	require.NoError(t, err)
	req.Header.Set("Cookie", "session=cookie-print-test")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	requests = srv.Requests()
	require.Len(t, requests, 3)
	require.Contains(t, string(requests[0].Body), code, "the field keeps what arrived")

	signature := requests[0].Header.Get("Authorization")
	signature = signature[strings.LastIndex(signature, "=")+1:]
	secrets := []string{creds.SecretAccessKey, creds.SessionToken, code, "client-id-print-test", *out.AccessToken, *out.RefreshToken, signature, "cookie-print-test"}
	for _, value := range []any{srv, requests, requests[0], &requests[1], requests[2]} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			printed := fmt.Sprintf(verb, value)
			for _, secret := range secrets {
				assert.NotContains(t, printed, secret, "%s of %T", verb, value)
			}
		}
	}
	assert.Contains(t, fmt.Sprintf("%v", srv), srv.URL)
	assert.Contains(t, fmt.Sprintf("%v", requests[0]), "Body:[REDACTED]")
	assert.Contains(t, fmt.Sprintf("%v", requests[0]), "Authorization:[[REDACTED]]")
	assert.Contains(t, fmt.Sprintf("%v", requests[0]), "/tokens/figma")
	assert.Contains(t, fmt.Sprintf("%v", requests[2]), "Body:<nil>", "an empty body shows as absent")
	assert.Contains(t, requests[0].Header.Get("Authorization"), signature, "printing changed nothing recorded")
}
