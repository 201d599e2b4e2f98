package amplifyuibuilder

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// The paired harness: ours and the floor alternate in short batches inside
// one process, and each pair of batches gives one ratio ours/floor per
// metric. On a shared machine a busy second lands on both sides of a pair or
// on neither, so the median of the per-pair ratios is stable where the
// ratio of two medians taken minutes apart is not. It measures, it does not
// judge: it is a test only so that it can print its table, and it runs only
// when asked:
//
//	UIB_PAIRED=1 go test -run TestPairedBenchmark -v .
//
// UIB_PAIRED_PAIRS (default 31) sets the number of pairs, UIB_PAIRED_BATCH
// (default 25ms) the length of a floor batch, UIB_PAIRED_OPS
// ("ExchangeCodeForToken", "RefreshToken" or "all", the default) the
// operations. See BENCHMARKS.md.

// pairedScenario is one way of calling: in memory or over loopback, from
// one goroutine or many.
type pairedScenario struct {
	name       string
	loopback   bool
	goroutines int // 0: GOMAXPROCS
}

var pairedScenarios = []pairedScenario{
	{name: "inmemory", goroutines: 1},
	{name: "loopback", loopback: true, goroutines: 1},
	{name: "loopback-parallel", loopback: true},
	{name: "loopback-64", loopback: true, goroutines: 64},
}

// batchResult is what one batch cost per call.
type batchResult struct {
	ns, allocs, bytes float64
}

// runBatch makes n calls from g goroutines and returns their cost per call,
// from the wall clock and the runtime's allocation counters (everything the
// process allocated meanwhile, the loopback server included, as on both
// sides).
func runBatch(call func(context.Context) error, g, n int) (batchResult, error) {
	ctx := context.Background()
	per := n / g
	var errs = make([]error, g)
	var wg sync.WaitGroup
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	for i := range g {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range per {
				if err := call(ctx); err != nil {
					errs[i] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	calls := float64(per * g)
	for _, err := range errs {
		if err != nil {
			return batchResult{}, err
		}
	}
	return batchResult{
		ns:     float64(elapsed.Nanoseconds()) / calls,
		allocs: float64(after.Mallocs-before.Mallocs) / calls,
		bytes:  float64(after.TotalAlloc-before.TotalAlloc) / calls,
	}, nil
}

// spread summarizes per-pair values: median, quartiles, extremes.
type spread struct{ median, p25, p75, min, max float64 }

func summarize(values []float64) spread {
	v := slices.Clone(values)
	slices.Sort(v)
	q := func(p float64) float64 {
		// Linear interpolation between the closest ranks.
		pos := p * float64(len(v)-1)
		lo := int(pos)
		if lo+1 >= len(v) {
			return v[len(v)-1]
		}
		return v[lo] + (pos-float64(lo))*(v[lo+1]-v[lo])
	}
	return spread{median: q(0.5), p25: q(0.25), p75: q(0.75), min: v[0], max: v[len(v)-1]}
}

// pairedResult is one operation and scenario, measured in pairs.
type pairedResult struct {
	op, scenario string
	ours, floor  []batchResult
}

func (r pairedResult) ratios(metric func(batchResult) float64) []float64 {
	out := make([]float64, len(r.ours))
	for i := range r.ours {
		out[i] = metric(r.ours[i]) / metric(r.floor[i])
	}
	return out
}

func column(results []batchResult, metric func(batchResult) float64) []float64 {
	out := make([]float64, len(results))
	for i, r := range results {
		out[i] = metric(r)
	}
	return out
}

// measurePaired runs pairs of batches of ours and the floor, alternating
// which goes first, after one warm-up batch of each.
func measurePaired(tb testing.TB, op benchOperation, sc pairedScenario, pairs int, batch time.Duration) (pairedResult, error) {
	g := sc.goroutines
	if g == 0 {
		g = runtime.GOMAXPROCS(0)
	}
	calls := make([]func(context.Context) error, len(benchImpls))
	for i, impl := range benchImpls {
		if sc.loopback {
			srv := newCannedServer(tb, op.response)
			client := newKeepAliveClient()
			tb.Cleanup(client.CloseIdleConnections)
			calls[i] = impl.call(op, client, srv.URL)
		} else {
			calls[i] = impl.call(op, newCannedClient(op.response), "https://amplifyuibuilder.us-west-2.amazonaws.com")
		}
	}
	ours, floor := calls[0], calls[1]

	// Size the batches from the floor: about batch long each.
	n := g * 8
	for {
		if _, err := runBatch(ours, g, n); err != nil {
			return pairedResult{}, err
		}
		r, err := runBatch(floor, g, n)
		if err != nil {
			return pairedResult{}, err
		}
		if time.Duration(r.ns*float64(n)) >= batch/2 || n > 1<<20 {
			n = max(g, int(float64(batch)/r.ns)/g*g)
			break
		}
		n *= 4
	}

	res := pairedResult{op: op.name, scenario: sc.name}
	for i := range pairs {
		first, second := ours, floor
		if i%2 == 1 {
			first, second = floor, ours
		}
		a, err := runBatch(first, g, n)
		if err != nil {
			return res, err
		}
		b, err := runBatch(second, g, n)
		if err != nil {
			return res, err
		}
		if i%2 == 1 {
			a, b = b, a
		}
		res.ours = append(res.ours, a)
		res.floor = append(res.floor, b)
	}
	return res, nil
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func TestPairedBenchmark(t *testing.T) {
	if os.Getenv("UIB_PAIRED") == "" {
		t.Skip("the paired harness runs only when asked: UIB_PAIRED=1 go test -run TestPairedBenchmark -v .")
	}
	pairs := envInt("UIB_PAIRED_PAIRS", 31)
	batch := 25 * time.Millisecond
	if d, err := time.ParseDuration(os.Getenv("UIB_PAIRED_BATCH")); err == nil && d > 0 {
		batch = d
	}
	ops := []benchOperation{exchangeBench, refreshBench}
	if only := os.Getenv("UIB_PAIRED_OPS"); only != "" && only != "all" {
		ops = slices.DeleteFunc(ops, func(op benchOperation) bool { return op.name != only })
	}
	scenarios := pairedScenarios
	if only := os.Getenv("UIB_PAIRED_SCENARIOS"); only != "" {
		scenarios = slices.DeleteFunc(slices.Clone(scenarios), func(sc pairedScenario) bool { return !slices.Contains(splitComma(only), sc.name) })
	}

	var results []pairedResult
	for _, op := range ops {
		for _, sc := range scenarios {
			r, err := measurePaired(t, op, sc, pairs, batch)
			if err != nil {
				t.Fatalf("%s/%s: %v", op.name, sc.name, err)
			}
			results = append(results, r)
		}
	}
	printPaired(os.Stdout, results, pairs)
}

func splitComma(s string) []string {
	var out []string
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] != ',' {
			i++
		}
		out = append(out, s[:i])
		if i < len(s) {
			i++
		}
		s = s[i:]
	}
	return out
}

// printPaired prints, per operation, scenario and metric, the floor's and
// our median, and the median of the per-pair ratios with their quartiles
// and extremes; then, per operation, allocs/op with 64 goroutines against
// one.
func printPaired(w io.Writer, results []pairedResult, pairs int) {
	metrics := []struct {
		name   string
		value  func(batchResult) float64
		format string
	}{
		{"ns/op", func(r batchResult) float64 { return r.ns }, "%.0f"},
		{"allocs/op", func(r batchResult) float64 { return r.allocs }, "%.1f"},
		{"B/op", func(r batchResult) float64 { return r.bytes }, "%.0f"},
	}
	fmt.Fprintf(w, "\npaired harness: %d pairs, GOMAXPROCS=%d, %s\n\n", pairs, runtime.GOMAXPROCS(0), runtime.Version())
	fmt.Fprintf(w, "| operation | scenario | metric | floor | ours | ours/floor (median) | IQR | min–max |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|\n")
	for _, r := range results {
		for _, m := range metrics {
			ratio := summarize(r.ratios(m.value))
			fmt.Fprintf(w, "| %s | %s | %s | "+m.format+" | "+m.format+" | **%.3f** | %.3f–%.3f | %.3f–%.3f |\n",
				r.op, r.scenario, m.name,
				summarize(column(r.floor, m.value)).median, summarize(column(r.ours, m.value)).median,
				ratio.median, ratio.p25, ratio.p75, ratio.min, ratio.max)
		}
	}
	byKey := map[[2]string]pairedResult{}
	for _, r := range results {
		byKey[[2]string{r.op, r.scenario}] = r
	}
	allocs := func(rs []batchResult) float64 {
		return summarize(column(rs, func(b batchResult) float64 { return b.allocs })).median
	}
	for _, r := range results {
		one, ok := byKey[[2]string{r.op, "loopback"}]
		if r.scenario != "loopback-64" || !ok {
			continue
		}
		fmt.Fprintf(w, "\n%s over loopback, allocs/op with 64 goroutines against one: ours %.1f vs %.1f (%+.1f), floor %.1f vs %.1f (%+.1f)\n",
			r.op, allocs(r.ours), allocs(one.ours), allocs(r.ours)-allocs(one.ours),
			allocs(r.floor), allocs(one.floor), allocs(r.floor)-allocs(one.floor))
	}
}
