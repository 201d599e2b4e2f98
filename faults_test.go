package amplifyuibuilder

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go/logging"
	"github.com/stretchr/testify/require"
)

// Helpers for tests in which the server misbehaves at the connection level.

// hangGuard bounds how long a test waits for a call that should end on its
// own. It is not a performance bound: a call under test ends within its
// context deadline (a fraction of a second) or far sooner; the guard only
// turns a hang into a failure with a message instead of the test binary's
// ten-minute timeout.
const hangGuard = 30 * time.Second

// faultDeadline is the context deadline of calls whose server never answers:
// the call must end by it.
const faultDeadline = 200 * time.Millisecond

// allLogModes turns on every kind of client logging, so that tests run the
// logging middleware over hostile responses too.
const allLogModes = aws.LogSigning | aws.LogRetries | aws.LogRequest | aws.LogRequestWithBody |
	aws.LogResponse | aws.LogResponseWithBody | aws.LogDeprecatedUsage | aws.LogRequestEventMessage |
	aws.LogResponseEventMessage

// returnsWithin runs call in its own goroutine and fails the test if it has
// not returned after hangGuard.
func returnsWithin[T any](t *testing.T, call func() T) T {
	t.Helper()
	done := make(chan T, 1)
	go func() { done <- call() }()
	select {
	case v := <-done:
		return v
	case <-time.After(hangGuard):
		t.Fatalf("call did not return within %v", hangGuard)
		panic("unreachable")
	}
}

// result is what one call returned.
type result[T any] struct {
	out T
	err error
}

// exchangeWithin runs ExchangeCodeForToken with a context that ends after
// deadline, under the hang guard.
func exchangeWithin(t *testing.T, c *Client, deadline time.Duration, optFns ...func(*Options)) result[*ExchangeCodeForTokenOutput] {
	t.Helper()
	return returnsWithin(t, func() result[*ExchangeCodeForTokenOutput] {
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
		defer cancel()
		out, err := c.ExchangeCodeForToken(ctx, exchangeInput(), optFns...)
		return result[*ExchangeCodeForTokenOutput]{out, err}
	})
}

// hijack takes the connection over from the HTTP server, so that a test can
// write raw bytes or break the connection.
func hijack(t *testing.T, w http.ResponseWriter) net.Conn {
	t.Helper()
	conn, _, err := http.NewResponseController(w).Hijack()
	require.NoError(t, err)
	return conn
}

// reset closes conn with a TCP RST instead of an orderly FIN: what a crashing
// proxy or a firewall does.
func reset(t *testing.T, conn net.Conn) {
	t.Helper()
	require.NoError(t, conn.(*net.TCPConn).SetLinger(0))
	require.NoError(t, conn.Close())
}

// captureLogger keeps every line logged to it. It is safe for concurrent
// use.
type captureLogger struct {
	mu    sync.Mutex
	lines []string
}

func (l *captureLogger) Logf(classification logging.Classification, format string, v ...any) {
	line := fmt.Sprintf("%s %s", classification, fmt.Sprintf(format, v...))
	l.mu.Lock()
	l.lines = append(l.lines, line)
	l.mu.Unlock()
}

func (l *captureLogger) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

// withLogging logs everything to logger.
func withLogging(logger logging.Logger) func(*Options) {
	return func(o *Options) {
		o.Logger = logger
		o.ClientLogMode = allLogModes
	}
}
