package amplifyuibuilder

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
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
//
// One drop is not the client's to prevent: when a response has been read
// before the transport's write loop has reported the request written,
// net/http waits only 50 ms for that report (maxWriteWaitBeforeConnReuse,
// which its own tests raise for this reason) and then drops the
// connection. On a loaded machine the write loop's thread can be kept off
// the CPU that long, and the next call dials again. So each call is
// watched: its body must be read to EOF before it is closed, its request
// written without error, neither side ask to close, and the transport
// either put the connection back idle (PutIdleConn with no error) or
// skipped that step only after all of this, which is net/http's 50 ms rule
// (or the server hanging up, which this one does not do). The connections
// accepted must be exactly one more than those drops.
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
		HTTPClient:   &bodyWatcher{inner: awshttp.NewBuildableClient()},
	})
	droppedByNetHTTP := 0
	for call := range 2000 {
		var wrote, putIdle atomic.Int32 // 0: not called; 1: no error; 2: an error
		ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
			WroteRequest: func(info httptrace.WroteRequestInfo) { wrote.Store(hookResult(info.Err)) },
			PutIdleConn:  func(err error) { putIdle.Store(hookResult(err)) },
		})
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
		} else {
			require.NoError(t, err, "call %d", call)
			require.Equal(t, "at-"+strconv.Itoa(call), aws.ToString(accessToken), "call %d", call)
		}
		require.EqualValues(t, 1, wrote.Load(), "call %d: the request was written without error", call)
		require.NotEqualValues(t, 2, putIdle.Load(), "call %d: the transport failed to keep the connection", call)
		if putIdle.Load() == 0 {
			droppedByNetHTTP++
		}
	}
	require.NoError(t, bodiesWatched(c), "every response body read to EOF before it was closed")
	t.Logf("connections net/http dropped by its 50 ms write-report rule: %d", droppedByNetHTTP)
	assert.EqualValues(t, 1+droppedByNetHTTP, accepted.Load(), "connections accepted for 2000 sequential calls")
}

// hookResult is what a trace hook saw: 1 for no error, 2 for an error.
func hookResult(err error) int32 {
	if err != nil {
		return 2
	}
	return 1
}

// bodyWatcher sends through inner and checks, of every exchange, that
// neither the request nor the response asks to close the connection and
// that the response body is read to EOF before it is closed: the client's
// part in keeping a connection alive. The first exchange that breaks one
// is kept, for bodiesWatched.
type bodyWatcher struct {
	inner HTTPClient
	mu    sync.Mutex
	err   error
}

func (w *bodyWatcher) Do(req *http.Request) (*http.Response, error) {
	if req.Close || req.Header.Get("Connection") != "" {
		w.fail(fmt.Errorf("%s %s asks to close the connection", req.Method, req.URL.Path))
	}
	resp, err := w.inner.Do(req)
	if resp != nil {
		if resp.Close {
			w.fail(fmt.Errorf("the response to %s asks to close the connection", req.URL.Path))
		}
		resp.Body = &watchedBody{ReadCloser: resp.Body, watcher: w}
	}
	return resp, err
}

func (w *bodyWatcher) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = err
	}
}

// bodiesWatched is the first break c's bodyWatcher saw.
func bodiesWatched(c *Client) error {
	w := c.Options().HTTPClient.(*bodyWatcher)
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

type watchedBody struct {
	io.ReadCloser
	watcher *bodyWatcher
	sawEOF  bool
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.sawEOF = true
	}
	return n, err
}

func (b *watchedBody) Close() error {
	if !b.sawEOF {
		b.watcher.fail(errors.New("a response body was closed before its end"))
	}
	return b.ReadCloser.Close()
}
