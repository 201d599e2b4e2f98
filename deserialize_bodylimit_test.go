package amplifyuibuilder

import (
	"context"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A response body is read up to Options.MaxResponseBodySize; past it the call
// fails with *ResponseTooLargeError without reading the rest.

// endlessBody is how much a streaming server offers: far more than any limit.
const endlessBody = 1 << 30

// streamingServer answers with status and an endlessBody-byte JSON-looking
// body, written in chunks until the client stops reading. written counts the
// bytes the server managed to hand to the connection; finished receives a
// value each time a handler returns: once every attempt's has, written is
// final.
func streamingServer(t *testing.T, status int, optFns ...func(*Options)) (c *Client, written *atomic.Int64, finished <-chan struct{}, attempts func() int) {
	t.Helper()
	written = new(atomic.Int64)
	done := make(chan struct{}, 100)
	chunk := []byte(`{"accessToken":"` + strings.Repeat("a", 64<<10-16))
	c, rec := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
		defer func() { done <- struct{}{} }()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(endlessBody))
		w.WriteHeader(status)
		for written.Load() < endlessBody {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	}, optFns...)
	return c, written, done, func() int { return len(rec.all()) }
}

// waitFor waits for n values from ch under the hang guard.
func waitFor(t *testing.T, ch <-chan struct{}, n int) {
	t.Helper()
	returnsWithin(t, func() struct{} {
		for range n {
			<-ch
		}
		return struct{}{}
	})
}

func TestBodyLimitStopsReadingAtTheLimit(t *testing.T) {
	eachLogMode(t, func(t *testing.T, optFns ...func(*Options)) {
		c, written, done, attempts := streamingServer(t, 200, optFns...)
		_, err := exchange(t, c, exchangeInput())

		var tooLarge *ResponseTooLargeError
		require.ErrorAs(t, err, &tooLarge, "got %v", err)
		assert.Equal(t, int64(DefaultMaxResponseBodySize), tooLarge.Limit)
		assert.ErrorContains(t, err, "response body exceeds the 1048576-byte limit")
		var resp *awshttp.ResponseError
		require.ErrorAs(t, err, &resp)
		assert.Equal(t, 200, resp.HTTPStatusCode())
		assert.Equal(t, 1, attempts())

		// The client closed the connection at the limit: the server could
		// only fill the socket buffers beyond it, a few MiB, not the GiB
		// it offered.
		waitFor(t, done, 1)
		assert.Less(t, written.Load(), int64(64<<20), "the client read on past the limit")
		t.Logf("the server wrote %d of the %d bytes it offered", written.Load(), endlessBody)
	})
}

// TestBodyLimitBoundsMemory: what one call allocates while the server offers
// a GiB is bounded by the limit, not by the body.
func TestBodyLimitBoundsMemory(t *testing.T) {
	eachLogMode(t, func(t *testing.T, optFns ...func(*Options)) {
		c, _, done, _ := streamingServer(t, 200, optFns...)
		// A first call warms up the connection machinery and the buffer
		// pool.
		_, err := exchange(t, c, exchangeInput())
		require.Error(t, err)
		waitFor(t, done, 1)

		c, _, done, _ = streamingServer(t, 200, optFns...)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err = exchange(t, c, exchangeInput())
		runtime.ReadMemStats(&after)
		var tooLarge *ResponseTooLargeError
		require.ErrorAs(t, err, &tooLarge)
		waitFor(t, done, 1)

		// Reading 1 MiB into a growing buffer allocates about 4 MiB, the
		// response logger's copy 2 MiB more; the race detector doubles
		// that. The bound is far from the 1 GiB offered.
		allocated := after.TotalAlloc - before.TotalAlloc
		assert.Less(t, allocated, uint64(32*DefaultMaxResponseBodySize), "allocated %d bytes", allocated)
		t.Logf("allocated %d bytes while the server offered %d", allocated, endlessBody)
	})
}

// TestBodyLimitOption: MaxResponseBodySize sets the limit, for the client or
// for one call; a body of exactly the limit is read whole.
func TestBodyLimitOption(t *testing.T) {
	const body = `{"accessToken":"at-1","expiresIn":3600,"refreshToken":"rt-1"}`
	limit := func(n int) func(*Options) {
		return func(o *Options) { o.MaxResponseBodySize = int64(n) }
	}
	respond := func(w http.ResponseWriter, _ int, _ captured) { jsonResponse(w, 200, body) }

	eachLogMode(t, func(t *testing.T, optFns ...func(*Options)) {
		c, _ := setup(t, respond, append(optFns, limit(len(body)))...)
		out, err := exchange(t, c, exchangeInput())
		require.NoError(t, err, "a body of exactly the limit")
		assert.Equal(t, "rt-1", *out.RefreshToken)

		c, _ = setup(t, respond, append(optFns, limit(len(body)-1))...)
		_, err = exchange(t, c, exchangeInput())
		var tooLarge *ResponseTooLargeError
		require.ErrorAs(t, err, &tooLarge)
		assert.Equal(t, int64(len(body)-1), tooLarge.Limit)

		c, _ = setup(t, respond, optFns...)
		_, err = exchange(t, c, exchangeInput(), limit(10))
		require.ErrorAs(t, err, &tooLarge, "a limit for one call")
		assert.Equal(t, int64(10), tooLarge.Limit)
	})
}

// TestBodyLimitOnErrorAnswers: an error answer is held to the same limit.
// A 400 is not retried; a 500 is, and each attempt stops at the limit.
func TestBodyLimitOnErrorAnswers(t *testing.T) {
	for _, tc := range []struct {
		status, attempts int
	}{{400, 1}, {500, 3}} {
		t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
			c, written, done, attempts := streamingServer(t, tc.status, func(o *Options) { o.MaxResponseBodySize = 4096 })
			ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
			defer cancel()
			_, err := c.ExchangeCodeForToken(ctx, exchangeInput())
			var tooLarge *ResponseTooLargeError
			require.ErrorAs(t, err, &tooLarge, "got %v", err)
			var resp *awshttp.ResponseError
			require.ErrorAs(t, err, &resp)
			assert.Equal(t, tc.status, resp.HTTPStatusCode())
			assert.Equal(t, tc.attempts, attempts())
			waitFor(t, done, tc.attempts)
			assert.Less(t, written.Load(), int64(tc.attempts*64<<20))
		})
	}
}
