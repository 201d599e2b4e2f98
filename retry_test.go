package amplifyuibuilder

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	smithy "github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTransientFailuresAreRetried(t *testing.T) {
	cases := []struct {
		name    string
		respond func(http.ResponseWriter, int, captured)
	}{
		{"500", failThenOK(1, 500, "")},
		{"502 with a proxy's HTML body", func(w http.ResponseWriter, attempt int, req captured) {
			if attempt == 1 {
				errorResponse(w, 502, map[string]string{"Content-Type": "text/html"}, `<html>Bad Gateway</html>`)
				return
			}
			okTokens(w, attempt, req)
		}},
		{"503", failThenOK(1, 503, "")},
		{"504", failThenOK(1, 504, "")},
		{"500 InternalServerException", failThenOK(1, 500, "InternalServerException")},
		{"429 ThrottlingException", failThenOK(1, 429, "ThrottlingException")},
		{"400 ThrottlingException", failThenOK(1, 400, "ThrottlingException")},
		{"two failures, then success on the last attempt", failThenOK(2, 503, "")},
		{"connection closed without an answer", func(w http.ResponseWriter, attempt int, req captured) {
			if attempt == 1 {
				conn, _, err := http.NewResponseController(w).Hijack()
				if err == nil {
					_ = conn.Close()
				}
				return
			}
			okTokens(w, attempt, req)
		}},
	}
	forEachOperation(t, func(t *testing.T, op tokenOperation) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				c, rec := setup(t, tc.respond)
				out, err := op.run(t, c)
				require.NoError(t, err)
				assert.Equal(t, "at-1", aws.ToString(out.AccessToken))

				reqs := rec.all()
				require.GreaterOrEqual(t, len(reqs), 2)
				for i, req := range reqs {
					requireSDKRequestHeader(t, req.Header.Get("Amz-Sdk-Request"), i+1, 3)
					assert.Equal(t, string(reqs[0].Body), string(req.Body), "attempt %d sends the whole body", i+1)
				}

				attempts, ok := retry.GetAttemptResults(out.ResultMetadata)
				require.True(t, ok)
				assert.Len(t, attempts.Results, len(reqs))
			})
		}
	})
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	forEachOperation(t, func(t *testing.T, op tokenOperation) {
		for _, status := range []int{400, 403, 404, 413} {
			c, rec := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
				errorResponse(w, status, nil, `{"__type":"InvalidParameterException","message":"no"}`)
			})
			_, err := op.run(t, c)
			requireResponseError(t, err, status, "req-1234")
			assert.Len(t, rec.all(), 1, "status %d", status)
		}
	})
}

func TestRetriesExhausted(t *testing.T) {
	forEachOperation(t, func(t *testing.T, op tokenOperation) {
		c, rec := setup(t, failThenOK(100, 503, "ServiceUnavailableException"))
		_, err := op.run(t, c)
		requireOperationError(t, err, op.name)
		var maxErr *retry.MaxAttemptsError
		require.ErrorAs(t, err, &maxErr)
		assert.Equal(t, 3, maxErr.Attempt)
		requireResponseError(t, err, 503, "req-1234")
		var apiErr smithy.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "ServiceUnavailableException", apiErr.ErrorCode())
		assert.Len(t, rec.all(), 3)
	})
}

func TestRetryMaxAttempts(t *testing.T) {
	t.Run("from Options, over the retryer's own", func(t *testing.T) {
		c, rec := setup(t, failThenOK(100, 500, ""), func(o *Options) { o.RetryMaxAttempts = 5 })
		_, err := exchange(t, c, exchangeInput())
		require.Error(t, err)
		reqs := rec.all()
		require.Len(t, reqs, 5)
		requireSDKRequestHeader(t, reqs[4].Header.Get("Amz-Sdk-Request"), 5, 5)
	})

	t.Run("per call, for that call only", func(t *testing.T) {
		c, rec := setup(t, failThenOK(100, 500, ""))
		_, err := exchange(t, c, exchangeInput(), func(o *Options) { o.RetryMaxAttempts = 1 })
		require.Error(t, err)
		assert.Len(t, rec.all(), 1)

		_, err = exchange(t, c, exchangeInput())
		require.Error(t, err)
		assert.Len(t, rec.all(), 1+3, "the next call has the client's 3 attempts")

		_, err = exchange(t, c, exchangeInput(), func(o *Options) { o.RetryMaxAttempts = 4 })
		require.Error(t, err)
		assert.Len(t, rec.all(), 1+3+4)
		assert.Equal(t, 0, c.Options().RetryMaxAttempts)
	})

	t.Run("per call on a client that set it", func(t *testing.T) {
		c, rec := setup(t, failThenOK(100, 500, ""), func(o *Options) { o.RetryMaxAttempts = 2 })
		_, err := exchange(t, c, exchangeInput(), func(o *Options) { o.RetryMaxAttempts = 4 })
		require.Error(t, err)
		assert.Len(t, rec.all(), 4)
	})

	t.Run("a per-call retryer", func(t *testing.T) {
		c, rec := setup(t, failThenOK(100, 500, ""))
		_, err := exchange(t, c, exchangeInput(), func(o *Options) { o.Retryer = aws.NopRetryer{} })
		require.Error(t, err)
		assert.Len(t, rec.all(), 1)
	})
}

func TestValidationAndCanceledContextAreNotRetried(t *testing.T) {
	c, rec := setup(t, okTokens)
	_, err := exchange(t, c, &ExchangeCodeForTokenInput{})
	require.Error(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, op := range tokenOperations {
		_, err = op.call(ctx, c, op.defaultSecret(), "client-1")
		requireOperationError(t, err, op.name)
		assert.ErrorIs(t, err, context.Canceled)
	}
	assert.Empty(t, rec.all())
}

func TestCancelWhileWaitingForTheService(t *testing.T) {
	arrived := make(chan struct{}, 3)
	release := make(chan struct{})
	c, rec := setup(t, func(w http.ResponseWriter, attempt int, req captured) {
		arrived <- struct{}{}
		<-release
	})
	// Unblock the handler before the server closes (cleanups run last in, first out).
	t.Cleanup(func() { close(release) })

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := c.ExchangeCodeForToken(ctx, exchangeInput())
		done <- err
	}()

	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("the request never reached the server")
	}
	cancel()

	var err error
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the call did not return after its context was canceled")
	}
	requireOperationError(t, err, "ExchangeCodeForToken")
	assert.ErrorIs(t, err, context.Canceled)
	var canceled *smithy.CanceledError
	assert.ErrorAs(t, err, &canceled)
	assert.Len(t, rec.all(), 1, "a canceled call is not retried")
	assert.False(t, errors.Is(err, context.DeadlineExceeded))
}

// httpClientFunc is an HTTPClient made of a function.
type httpClientFunc func(*http.Request) (*http.Response, error)

func (f httpClientFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

func TestNetworkErrorsAreRetriedAndReported(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	var attempts atomic.Int32
	c, _ := newFakeNetworkClient(testRegion, func(o *Options) {
		o.HTTPClient = httpClientFunc(func(*http.Request) (*http.Response, error) {
			attempts.Add(1)
			return nil, refused
		})
	})
	for _, op := range tokenOperations {
		attempts.Store(0)
		_, err := op.run(t, c)
		requireOperationError(t, err, op.name)
		assert.Equal(t, int32(3), attempts.Load())
		var sendErr *smithyhttp.RequestSendError
		require.ErrorAs(t, err, &sendErr)
		assert.ErrorIs(t, err, syscall.ECONNREFUSED)
		var maxErr *retry.MaxAttemptsError
		require.ErrorAs(t, err, &maxErr)
	}
}
