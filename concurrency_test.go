package amplifyuibuilder

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// TestConcurrentCallsShareOneClient: many goroutines share one client, with
// both operations, per-call options, retries and full logging at once. Each
// call gets its own answer, no call's secret reaches the shared log, the race
// detector finds nothing (go test -race), and no goroutine outlives the
// calls.
func TestConcurrentCallsShareOneClient(t *testing.T) {
	verifyNoLeakAtEnd(t)

	var mu sync.Mutex
	seen := map[string]int{}
	logger := &captureLogger{}
	c, rec := setup(t, func(w http.ResponseWriter, _ int, req captured) {
		var in struct{ Code, Token string }
		require.NoError(t, json.Unmarshal(req.Body, &in))
		secret := in.Code + in.Token
		mu.Lock()
		seen[secret]++
		first := seen[secret] == 1
		mu.Unlock()
		// Every third call meets a transient failure first.
		if first && strings.HasSuffix(secret, "0") {
			jsonResponse(w, 503, `{"message":"unavailable"}`)
			return
		}
		jsonResponse(w, 200, fmt.Sprintf(`{"accessToken":"at-%s","expiresIn":%d,"refreshToken":"rt-%s"}`, secret, len(secret), secret))
	}, withLogging(logger))

	const goroutines, callsEach = 16, 21
	var secrets []string
	var wg sync.WaitGroup
	for g := range goroutines {
		for i := range callsEach {
			secrets = append(secrets, fmt.Sprintf("secret-%02d-%02d-%d", g, i, i%3))
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range callsEach {
				secret := fmt.Sprintf("secret-%02d-%02d-%d", g, i, i%3)
				var optFns []func(*Options)
				if i%4 == 0 {
					optFns = append(optFns, func(o *Options) { o.RetryMaxAttempts = 2 })
				}
				ctx := context.Background()
				if i%2 == 0 {
					out, err := c.ExchangeCodeForToken(ctx, &ExchangeCodeForTokenInput{
						Provider: types.TokenProvidersFigma,
						Request: &types.ExchangeCodeForTokenRequestBody{
							Code: aws.String(secret), RedirectUri: aws.String("https://example.com/cb"),
						},
					}, optFns...)
					if assert.NoError(t, err) {
						assert.Equal(t, "at-"+secret, aws.ToString(out.AccessToken))
						assert.Equal(t, "rt-"+secret, aws.ToString(out.RefreshToken))
						assert.Equal(t, int32(len(secret)), aws.ToInt32(out.ExpiresIn))
					}
				} else {
					out, err := c.RefreshToken(ctx, &RefreshTokenInput{
						Provider:         types.TokenProvidersFigma,
						RefreshTokenBody: &types.RefreshTokenRequestBody{Token: aws.String(secret)},
					}, optFns...)
					if assert.NoError(t, err) {
						assert.Equal(t, "at-"+secret, aws.ToString(out.AccessToken))
						assert.Equal(t, int32(len(secret)), aws.ToInt32(out.ExpiresIn))
					}
				}
			}
		}()
	}
	wg.Wait()

	assert.Len(t, rec.all(), goroutines*callsEach+goroutines*callsEach/3, "one retry for every third call")
	lines := logger.all()
	require.NotEmpty(t, lines)
	for _, line := range lines {
		for _, secret := range secrets {
			if strings.Contains(line, secret) {
				t.Fatalf("secret %q in log line %q", secret, line)
			}
		}
	}
}

// TestNoGoroutineLeftAfterFaults: calls that end in faults (a stalled body,
// no answer, a reset, a body past the limit, a cancelled backoff) leave no
// goroutine behind once their servers have closed.
func TestNoGoroutineLeftAfterFaults(t *testing.T) {
	verifyNoLeakAtEnd(t)

	t.Run("stall mid-body", func(t *testing.T) {
		c, _ := setup(t, func(w http.ResponseWriter, _ int, req captured) {
			w.Header().Set("Content-Length", "64")
			w.WriteHeader(200)
			_, _ = io.WriteString(w, `{"accessToken":"`)
			_ = http.NewResponseController(w).Flush()
			<-req.Context.Done()
		})
		r := exchangeWithin(t, c, faultDeadline)
		assert.ErrorIs(t, r.err, context.DeadlineExceeded)
	})
	t.Run("no answer", func(t *testing.T) {
		c, _ := setup(t, func(_ http.ResponseWriter, _ int, req captured) { <-req.Context.Done() })
		r := exchangeWithin(t, c, faultDeadline)
		assert.ErrorIs(t, r.err, context.DeadlineExceeded)
	})
	t.Run("reset", func(t *testing.T) {
		c, _ := setup(t, func(w http.ResponseWriter, _ int, _ captured) { reset(t, hijack(t, w)) })
		r := exchangeWithin(t, c, hangGuard)
		assert.Error(t, r.err)
	})
	t.Run("body past the limit", func(t *testing.T) {
		c, _, done, _ := streamingServer(t, 200)
		r := exchangeWithin(t, c, hangGuard)
		var tooLarge *ResponseTooLargeError
		assert.ErrorAs(t, r.err, &tooLarge)
		waitFor(t, done, 1)
	})
	t.Run("cancelled during the backoff", func(t *testing.T) {
		c, _ := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
			w.Header().Set("X-Amz-Retry-After", "60000")
			jsonResponse(w, 503, ``)
		})
		r := exchangeWithin(t, c, faultDeadline)
		assert.ErrorIs(t, r.err, context.DeadlineExceeded)
	})
}
