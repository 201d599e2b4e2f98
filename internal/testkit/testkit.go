// Package testkit holds the small test doubles that several packages' tests
// share: a clock that moves only when told, a buffer that goroutines can
// write together, and a bounded wait for a channel.
package testkit

import (
	"bytes"
	"sync"
	"testing"
	"time"
)

// Clock is a clock that moves only when the test says. It is safe for
// concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock that reads start until it is advanced.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// SyncBuffer is a bytes.Buffer that a server's goroutines and the test can
// share.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p to the buffer.
func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what has been written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Receive returns the next value from ch, failing t if none comes within
// guard: a hang guard, which turns a hang into a failure and is no measure
// of speed.
func Receive[T any](t testing.TB, ch <-chan T, guard time.Duration) T {
	t.Helper()
	timer := time.NewTimer(guard)
	defer timer.Stop()
	select {
	case v := <-ch:
		return v
	case <-timer.C:
		t.Fatalf("nothing arrived within the hang guard (%v)", guard)
		var zero T
		return zero
	}
}
