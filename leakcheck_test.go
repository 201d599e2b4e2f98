package amplifyuibuilder

import (
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// leakWait bounds how long a goroutine check waits for goroutines that are
// ending anyway (a connection's reader ends a little after its server has
// closed) before it calls them leaked.
const leakWait = 5 * time.Second

// verifyNoLeakAtEnd checks, once the test and its cleanups (servers closing)
// are done, that no goroutine the test started is still running. Call it
// before anything registers a cleanup, so that it runs last.
func verifyNoLeakAtEnd(t *testing.T) {
	t.Helper()
	before := goroutines()
	t.Cleanup(func() {
		if left := goroutinesLeftSince(before, leakWait); len(left) > 0 {
			t.Errorf("%d goroutine(s) outlived the test:\n\n%s", len(left), strings.Join(left, "\n\n"))
		}
	})
}

// goroutines returns the stack of every goroutine, by its id, from
// runtime.Stack.
func goroutines() map[string]string {
	buf := make([]byte, 64<<10)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	all := map[string]string{}
	for _, g := range strings.Split(string(buf), "\n\n") {
		// Each starts "goroutine 42 [chan receive]:".
		if rest, ok := strings.CutPrefix(g, "goroutine "); ok {
			id, _, _ := strings.Cut(rest, " ")
			all[id] = g
		}
	}
	return all
}

// goroutinesLeftSince waits up to wait for every goroutine not in before to
// end, polling with a growing pause, and returns the stacks of those still
// running then.
func goroutinesLeftSince(before map[string]string, wait time.Duration) []string {
	deadline := time.Now().Add(wait)
	pause := time.Millisecond
	for {
		var left []string
		for id, stack := range goroutines() {
			if _, ok := before[id]; !ok {
				left = append(left, stack)
			}
		}
		if len(left) == 0 || time.Now().After(deadline) {
			slices.Sort(left)
			return left
		}
		time.Sleep(pause)
		pause = min(2*pause, 100*time.Millisecond)
	}
}

// The check sees a goroutine that stays, names it by its stack, and lets it
// go once it has ended.
func TestGoroutineCheckSeesAGoroutineThatStays(t *testing.T) {
	before := goroutines()
	stop := make(chan struct{})
	go parkUntilClosed(stop)

	left := goroutinesLeftSince(before, 50*time.Millisecond)
	require.Len(t, left, 1)
	assert.Contains(t, left[0], "parkUntilClosed")

	close(stop)
	assert.Empty(t, goroutinesLeftSince(before, leakWait))
}

func parkUntilClosed(stop <-chan struct{}) { <-stop }
