package amplifyuibuilder

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// TestSequentialCallsKeepOneConnection makes 2,000 sequential calls, on two
// threads, through the default HTTP client, and counts the connections the
// server accepts: exactly one. A call that closed a response body before
// reading it to its end would make the transport drop the connection, and
// the next call would dial a new one.
//
// The answers vary the ways a body can end: with a Content-Length, or
// chunked, where the end is a last, empty chunk sent after the JSON, so that
// a reader that stops at the end of the JSON does not see it; successes of
// both operations, and 400 errors, which are not retried.
func TestSequentialCallsKeepOneConnection(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))

	var accepted, requests atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		call := int(requests.Add(1) - 1) // the calls are sequential and never retried
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-Requestid", "req-"+strconv.Itoa(call))
		status, body := http.StatusOK, `{"accessToken":"at-`+strconv.Itoa(call)+`","expiresIn":3600,"refreshToken":"rt"}`
		if call%10 == 9 {
			w.Header().Set("X-Amzn-Errortype", "InvalidParameterException")
			status, body = http.StatusBadRequest, `{"message":"bad code"}`
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
		if call%2 == 1 {
			// Chunked: the JSON goes out now, the last chunk that ends the
			// body only when the handler returns.
			w.(http.Flusher).Flush()
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			accepted.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()

	c := New(Options{
		Region:       testRegion,
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(testAccessKeyID, testSecretAccessKey, testSessionToken),
		Retryer:      noWaitRetryer(3),
	})
	ctx := context.Background()
	for call := range 2000 {
		var accessToken *string
		var err error
		if call%4 < 2 {
			var out *ExchangeCodeForTokenOutput
			if out, err = c.ExchangeCodeForToken(ctx, exchangeInput()); err == nil {
				accessToken = out.AccessToken
			}
		} else {
			var out *RefreshTokenOutput
			if out, err = c.RefreshToken(ctx, &RefreshTokenInput{
				Provider:         types.TokenProvidersFigma,
				RefreshTokenBody: &types.RefreshTokenRequestBody{Token: aws.String("rt")},
			}); err == nil {
				accessToken = out.AccessToken
			}
		}
		if call%10 == 9 {
			var invalid *types.InvalidParameterException
			require.ErrorAs(t, err, &invalid, "call %d", call)
			continue
		}
		require.NoError(t, err, "call %d", call)
		require.Equal(t, "at-"+strconv.Itoa(call), aws.ToString(accessToken), "call %d", call)
	}
	assert.EqualValues(t, 1, accepted.Load(), "connections accepted for 2000 sequential calls")
}
