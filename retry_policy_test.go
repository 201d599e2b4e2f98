package amplifyuibuilder

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	smithy "github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// countingRetryer counts the retry tokens the retry loop takes: one for each
// retry it decides to make, before it waits.
type countingRetryer struct {
	aws.RetryerV2
	retryTokens atomic.Int32
}

func newCountingRetryer(r aws.Retryer) *countingRetryer {
	return &countingRetryer{RetryerV2: r.(aws.RetryerV2)}
}

func (r *countingRetryer) GetRetryToken(ctx context.Context, err error) (func(error) error, error) {
	r.retryTokens.Add(1)
	return r.RetryerV2.GetRetryToken(ctx, err)
}

// TestRetryOnlyRetryableFailures: 5xx answers of the gateway kind, throttling
// and timeout codes are retried up to the attempt limit; every other error
// answer returns after exactly one attempt.
func TestRetryOnlyRetryableFailures(t *testing.T) {
	cases := []struct {
		name     string
		status   int
		body     string
		attempts int
	}{
		{"500", 500, `{"__type":"InternalServerException","message":"internal"}`, 3},
		{"502 without a body", 502, ``, 3},
		{"503", 503, `{"message":"unavailable"}`, 3},
		{"504", 504, ``, 3},
		{"429", 429, `{"message":"Too Many Requests"}`, 3},
		{"400 with a throttling code", 400, `{"__type":"ThrottlingException"}`, 3},
		{"400 TooManyRequestsException", 400, `{"code":"TooManyRequestsException"}`, 3},
		{"400 RequestTimeoutException", 400, `{"code":"RequestTimeoutException"}`, 3},
		{"400 InvalidParameterException", 400, `{"__type":"InvalidParameterException","message":"bad"}`, 1},
		{"400 without a code", 400, ``, 1},
		{"401", 401, `{"message":"Unauthorized"}`, 1},
		{"403 AccessDeniedException", 403, `{"__type":"AccessDeniedException"}`, 1},
		{"403 InvalidSignatureException without clock skew", 403, `{"__type":"InvalidSignatureException"}`, 1},
		{"404", 404, `{"message":"Not Found"}`, 1},
		{"413", 413, ``, 1},
		{"429 carrying a modeled error", 429, `{"__type":"InvalidParameterException"}`, 1},
		{"501", 501, `{"message":"Not Implemented"}`, 1},
	}
	forEachOperation(t, func(t *testing.T, op tokenOperation) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				retryer := newCountingRetryer(noWaitRetryer(3))
				c, rec := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
					jsonResponse(w, tc.status, tc.body)
				}, func(o *Options) { o.Retryer = retryer })
				_, err := op.run(t, c)
				require.Error(t, err)
				assert.Len(t, rec.all(), tc.attempts)
				assert.Equal(t, int32(tc.attempts-1), retryer.retryTokens.Load())
				var maxAttempts *retry.MaxAttemptsError
				assert.Equal(t, tc.attempts > 1, errors.As(err, &maxAttempts))
			})
		}
	})

	t.Run("invalid input is never sent", func(t *testing.T) {
		c, rec := setup(t, okTokens)
		in := exchangeInput()
		in.Request.Code = nil
		_, err := exchange(t, c, in)
		var invalid *smithy.InvalidParamsError
		require.ErrorAs(t, err, &invalid)
		assert.Empty(t, rec.all())
	})
}

// TestRetrySucceedsAfterTransientFailures: the answer after two transient
// failures is the call's result, and the metadata records every attempt.
func TestRetrySucceedsAfterTransientFailures(t *testing.T) {
	forEachOperation(t, func(t *testing.T, op tokenOperation) {
		c, rec := setup(t, func(w http.ResponseWriter, attempt int, req captured) {
			switch attempt {
			case 1:
				jsonResponse(w, 500, `{"message":"internal"}`)
			case 2:
				jsonResponse(w, 429, `{"__type":"ThrottlingException"}`)
			default:
				okTokens(w, attempt, req)
			}
		})
		out, err := op.run(t, c)
		require.NoError(t, err)
		assert.Equal(t, "at-1", aws.ToString(out.AccessToken))
		assert.Len(t, rec.all(), 3)
		results, ok := retry.GetAttemptResults(out.ResultMetadata)
		require.True(t, ok)
		assert.Len(t, results.Results, 3)
	})
}

// TestRetryStopsWhenContextEnds: a cancelled or expired context ends the call
// at once, wherever the call is: before sending, waiting for the answer,
// reading the body or waiting to retry. It takes no retry token and sends no
// further attempt.
func TestRetryStopsWhenContextEnds(t *testing.T) {
	t.Run("cancelled before the call", func(t *testing.T) {
		c, rec := setup(t, okTokens)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := c.ExchangeCodeForToken(ctx, exchangeInput())
		assert.ErrorIs(t, err, context.Canceled)
		assert.Empty(t, rec.all())
	})

	// cancelledBy runs one call whose context the server cancels while it
	// handles the first attempt; respond gets the cancel function.
	cancelledBy := func(t *testing.T, respond func(w http.ResponseWriter, cancel func(), req captured)) (error, *countingRetryer, int) {
		t.Helper()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		retryer := newCountingRetryer(noWaitRetryer(3))
		c, rec := setup(t, func(w http.ResponseWriter, _ int, req captured) {
			respond(w, cancel, req)
		}, func(o *Options) { o.Retryer = retryer })
		err := returnsWithin(t, func() error {
			_, err := c.ExchangeCodeForToken(ctx, exchangeInput())
			return err
		})
		return err, retryer, len(rec.all())
	}

	t.Run("cancelled while waiting for the answer", func(t *testing.T) {
		err, retryer, attempts := cancelledBy(t, func(_ http.ResponseWriter, cancel func(), req captured) {
			cancel()
			<-req.Context.Done()
		})
		assert.ErrorIs(t, err, context.Canceled)
		var canceled *smithy.CanceledError
		assert.ErrorAs(t, err, &canceled)
		assert.Equal(t, 1, attempts)
		assert.Zero(t, retryer.retryTokens.Load())
	})

	t.Run("cancelled while the body arrives", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		retryer := newCountingRetryer(noWaitRetryer(3))
		c, rec := setup(t, func(w http.ResponseWriter, _ int, req captured) {
			w.Header().Set("Content-Length", "64")
			w.WriteHeader(200)
			_, _ = io.WriteString(w, `{"accessToken":"at-`)
			_ = http.NewResponseController(w).Flush()
			<-req.Context.Done()
		}, func(o *Options) {
			o.Retryer = retryer
			o.HTTPClient = cancelAfterHeaders{HTTPClient: o.HTTPClient, cancel: cancel}
		})
		err := returnsWithin(t, func() error {
			_, err := c.ExchangeCodeForToken(ctx, exchangeInput())
			return err
		})
		assert.ErrorIs(t, err, context.Canceled)
		var canceled *smithy.CanceledError
		assert.ErrorAs(t, err, &canceled, "got %v", err)
		assert.Len(t, rec.all(), 1)
		assert.Zero(t, retryer.retryTokens.Load(), "a cancelled call is not a failure to retry")
	})

	t.Run("cancelled while waiting to retry", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		// The backoff cancels the call and asks for an hour: the wait must
		// end with the context, not the hour.
		retryer := retry.NewStandard(func(o *retry.StandardOptions) {
			o.RateLimiter = ratelimit.None
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) {
				cancel()
				return time.Hour, nil
			})
		})
		c, rec := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
			jsonResponse(w, 503, ``)
		}, func(o *Options) { o.Retryer = retryer })
		err := returnsWithin(t, func() error {
			_, err := c.ExchangeCodeForToken(ctx, exchangeInput())
			return err
		})
		assert.ErrorIs(t, err, context.Canceled)
		var canceled *aws.RequestCanceledError
		assert.ErrorAs(t, err, &canceled)
		assert.Len(t, rec.all(), 1)
	})
}

// TestRetryHonoursAmzRetryAfter: the aws-sdk-go-v2 retryer waits as long as
// x-amz-retry-after asks (milliseconds, at most 5s beyond its own backoff).
// With a one-minute value, a call whose deadline is a fraction of a second
// ends in that wait, after one attempt; without it, or with a value that is
// not a number, the no-wait retryer makes all three attempts.
func TestRetryHonoursAmzRetryAfter(t *testing.T) {
	run := func(t *testing.T, retryAfter string, deadline time.Duration) (error, int, *captureLogger) {
		t.Helper()
		logger := &captureLogger{}
		c, rec := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
			if retryAfter != "" {
				w.Header().Set("X-Amz-Retry-After", retryAfter)
			}
			jsonResponse(w, 503, `{"message":"unavailable"}`)
		}, withLogging(logger))
		r := exchangeWithin(t, c, deadline)
		return r.err, len(rec.all()), logger
	}

	t.Run("a long wait outlasts the deadline", func(t *testing.T) {
		err, attempts, _ := run(t, "60000", faultDeadline)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		var canceled *aws.RequestCanceledError
		assert.ErrorAs(t, err, &canceled)
		assert.Equal(t, 1, attempts)
	})
	for _, tc := range []struct{ name, retryAfter string }{
		{"a short wait", "1"},
		{"no header", ""},
		{"a value that is not a number is ignored", "soon"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err, attempts, logger := run(t, tc.retryAfter, hangGuard)
			var maxAttempts *retry.MaxAttemptsError
			assert.ErrorAs(t, err, &maxAttempts)
			assert.Equal(t, 3, attempts)
			ignored := anyLineContains(logger.all(), `ignoring invalid x-amz-retry-after header value "soon"`)
			assert.Equal(t, tc.retryAfter == "soon", ignored, "the invalid value is logged as ignored")
		})
	}
}

// TestSingleUseCodeConsumedBeforeRetry shows what the ExchangeCodeForToken
// documentation promises: the service consumes the code in the first attempt,
// whose answer is lost to a connection reset; the retry sends the same code
// and gets InvalidParameterException. The caller recovers by getting a new
// code from the provider, never by sending the old one again.
func TestSingleUseCodeConsumedBeforeRetry(t *testing.T) {
	var mu sync.Mutex
	used := map[string]bool{}
	c, rec := setup(t, func(w http.ResponseWriter, attempt int, req captured) {
		mu.Lock()
		code := string(req.Body)
		consumed := used[code]
		used[code] = true
		mu.Unlock()
		switch {
		case consumed:
			w.Header().Set("X-Amzn-Errortype", "InvalidParameterException")
			jsonResponse(w, 400, `{"message":"Invalid authorization code"}`)
		case attempt == 1:
			conn := hijack(t, w)
			_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 80\r\n\r\n"+`{"accessToken":"`)
			reset(t, conn)
		default:
			okTokens(w, attempt, req)
		}
	})

	_, err := exchange(t, c, exchangeInput())
	var ipe *types.InvalidParameterException
	require.ErrorAs(t, err, &ipe, "got %v", err)
	assert.Equal(t, "Invalid authorization code", ipe.ErrorMessage())
	requests := rec.all()
	require.Len(t, requests, 2, "the reset is retried")
	assert.Equal(t, requests[0].Body, requests[1].Body, "the retry sends the same code")

	in := exchangeInput()
	in.Request.Code = aws.String("a-new-code-from-the-provider")
	out, err := exchange(t, c, in)
	require.NoError(t, err)
	assert.Equal(t, "at-1", aws.ToString(out.AccessToken))
}

// cancelAfterHeaders cancels the call once the answer's headers have
// arrived, so that the cancellation meets the body being read.
type cancelAfterHeaders struct {
	HTTPClient
	cancel func()
}

func (c cancelAfterHeaders) Do(req *http.Request) (*http.Response, error) {
	resp, err := c.HTTPClient.Do(req)
	c.cancel()
	return resp, err
}

func anyLineContains(lines []string, s string) bool {
	for _, line := range lines {
		if strings.Contains(line, s) {
			return true
		}
	}
	return false
}
