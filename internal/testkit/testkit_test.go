package testkit

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestClockMovesOnlyWhenAdvanced(t *testing.T) {
	start := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	c := NewClock(start)
	if got := c.Now(); !got.Equal(start) {
		t.Fatalf("Now() = %v, want %v", got, start)
	}
	c.Advance(90 * time.Second)
	if got, want := c.Now(), start.Add(90*time.Second); !got.Equal(want) {
		t.Fatalf("after Advance, Now() = %v, want %v", got, want)
	}
}

func TestSyncBufferKeepsEveryWrite(t *testing.T) {
	var b SyncBuffer
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() { fmt.Fprintf(&b, "%02d;", i) })
	}
	wg.Wait()
	if got := len(b.String()); got != 50*3 {
		t.Fatalf("len(String()) = %d, want %d", got, 50*3)
	}
}

// recordingTB notes a failure instead of stopping the goroutine.
type recordingTB struct {
	testing.TB
	failed bool
}

func (r *recordingTB) Helper()               {}
func (r *recordingTB) Fatalf(string, ...any) { r.failed = true }

func TestReceive(t *testing.T) {
	ch := make(chan int, 1)
	ch <- 7
	var tb recordingTB
	if got := Receive(&tb, ch, time.Second); got != 7 || tb.failed {
		t.Fatalf("Receive = %d, failed=%v; want 7 and no failure", got, tb.failed)
	}
	Receive(&tb, ch, time.Millisecond)
	if !tb.failed {
		t.Fatal("Receive on an empty channel did not fail at its guard")
	}
}
