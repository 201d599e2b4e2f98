package amplifyuibuilder

import (
	"net/http"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A large answer, with MaxResponseBodySize raised for it, is read once: into
// one buffer of the size its Content-Length announces, which the output's
// token is then a slice of. No buffer doubles, no string copy follows.

// largeBody is the size of the answer: 50 MiB, nearly all of it the access
// token.
const largeBody = 50 << 20

// largeTokenServer answers every call with a largeBody-byte token response,
// written in chunks so that the server holds little of it, with or without
// a Content-Length.
func largeTokenServer(t *testing.T, withLength bool, optFns ...func(*Options)) *Client {
	prefix, suffix := `{"accessToken":"`, `","expiresIn":3600}`
	chunk := []byte(strings.Repeat("a", 64<<10))
	c, _ := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
		w.Header().Set("Content-Type", "application/json")
		if withLength {
			w.Header().Set("Content-Length", strconv.Itoa(largeBody))
		}
		_, _ = w.Write([]byte(prefix))
		for token := largeBody - len(prefix) - len(suffix); token > 0; {
			n := min(token, len(chunk))
			if _, err := w.Write(chunk[:n]); err != nil {
				return
			}
			token -= n
		}
		_, _ = w.Write([]byte(suffix))
	}, append(optFns, func(o *Options) { o.MaxResponseBodySize = 64 << 20 })...)
	return c
}

// heapSampler records the most heap that live and unswept objects took while
// it ran, from runtime/metrics, sampled every 50µs.
type heapSampler struct {
	stop chan struct{}
	done sync.WaitGroup
	peak atomic.Uint64
}

const heapObjects = "/memory/classes/heap/objects:bytes"

func heapNow() uint64 {
	sample := []metrics.Sample{{Name: heapObjects}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

func startHeapSampler() *heapSampler {
	s := &heapSampler{stop: make(chan struct{})}
	s.peak.Store(heapNow())
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		sample := []metrics.Sample{{Name: heapObjects}}
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > s.peak.Load() {
				s.peak.Store(v)
			}
			select {
			case <-s.stop:
				return
			case <-time.After(50 * time.Microsecond):
			}
		}
	}()
	return s
}

func (s *heapSampler) Stop() uint64 {
	close(s.stop)
	s.done.Wait()
	if v := heapNow(); v > s.peak.Load() {
		s.peak.Store(v)
	}
	return s.peak.Load()
}

// largeCall makes one call to c and returns how far the heap rose above what
// it held before, at its peak, and how much the process allocated meanwhile.
func largeCall(t *testing.T, c *Client) (peak, allocated uint64) {
	t.Helper()
	runtime.GC()
	base := heapNow()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	sampler := startHeapSampler()
	out, err := exchange(t, c, exchangeInput())
	top := sampler.Stop()
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	require.NotNil(t, out.AccessToken)
	assert.Len(t, *out.AccessToken, largeBody-len(`{"accessToken":"","expiresIn":3600}`))
	assert.Equal(t, int32(3600), *out.ExpiresIn)
	runtime.KeepAlive(out)
	return top - base, after.TotalAlloc - before.TotalAlloc
}

func TestLargeResponseIsReadOnce(t *testing.T) {
	c := largeTokenServer(t, true)
	_, _ = largeCall(t, c) // warm up: the connection, the server
	peak, allocated := largeCall(t, c)
	t.Logf("a %d MiB answer with its Content-Length: peak heap %.1f MiB above the base (%.2f× the body), %.1f MiB allocated",
		largeBody>>20, float64(peak)/(1<<20), float64(peak)/largeBody, float64(allocated)/(1<<20))
	// One buffer of the body's size, and the small buffers around it: a
	// doubling buffer would allocate about twice the body, a string copy
	// of it once more.
	assert.LessOrEqual(t, float64(allocated), 1.3*largeBody, "allocated while reading the answer")
	assert.LessOrEqual(t, float64(peak), 1.3*largeBody, "peak heap while reading the answer")
}

// TestLargeResponseWithoutLength: without a Content-Length the buffer grows
// as the body arrives, but the body is still not copied again.
func TestLargeResponseWithoutLength(t *testing.T) {
	c := largeTokenServer(t, false)
	_, _ = largeCall(t, c)
	peak, allocated := largeCall(t, c)
	t.Logf("a %d MiB answer without a Content-Length: peak heap %.1f MiB above the base (%.2f× the body), %.1f MiB allocated",
		largeBody>>20, float64(peak)/(1<<20), float64(peak)/largeBody, float64(allocated)/(1<<20))
	// A buffer that doubles allocates what it grows through, about twice
	// the body (Write alone, growing by a quarter, allocated five times
	// it); then the body is not copied again.
	assert.LessOrEqual(t, float64(allocated), 3.0*largeBody, "allocated while reading the answer")
}
