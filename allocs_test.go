package amplifyuibuilder

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"testing"
)

// The allocation accounting: where the allocations of one call go, ours
// against the floor, by part of the call. It records every allocation
// (runtime.MemProfileRate = 1) of many calls in the memory profile that
// runtime/pprof writes, and gives each allocation site, by its stack, to the
// innermost part of the call it sits in. It prints a table and checks
// nothing; it runs only when asked:
//
//	UIB_ALLOCS=1 go test -run TestAllocationAccounting -v .
//
// UIB_ALLOCS_OP picks the operation (default ExchangeCodeForToken);
// UIB_ALLOCS_PROFILE=dir also writes each side's profile there, for
// go tool pprof; UIB_ALLOCS_SITES=part lists the sites of one part.

// allocPart is one row of the table: a part of the call, and the functions
// whose frames mark an allocation as that part's.
type allocPart struct {
	name   string
	frames []string // substrings of fully qualified function names
}

// The parts, as the frames of our call name them. An allocation belongs to
// the part of the innermost frame that matches any part: SignHTTP's own
// allocations sit inside retry.Attempt's frames, and so do those of every
// middleware after it.
var oursParts = []allocPart{
	{"benchmark transport", []string{".(*cannedClient).Do"}},
	{"SignHTTP", []string{"aws/signer/v4.Signer.SignHTTP", "aws/signer/v4.(*Signer).SignHTTP"}},
	{"payload hash", []string{"aws/signer/v4.(*ComputePayloadSHA256)", "aws/signer/v4.SetPayloadHash", "amplifyuibuilder.(*computePayloadHash)", "amplifyuibuilder.(*payload).sha256Hex"}},
	{"invocation id", []string{"aws/middleware.ClientRequestID", "aws/middleware.(*ClientRequestID)", "amplifyuibuilder.(*invocationID)"}},
	{"user agent", []string{"aws/middleware.(*RequestUserAgent)", "amplifyuibuilder.(*fixedUserAgent)"}},
	{"response metadata", []string{"aws/middleware.RecordResponseTiming", "aws/middleware.(*RecordResponseTiming)",
		"aws/middleware.AddRawResponse", "aws/middleware.(*AddRawResponse)", "amplifyuibuilder.(*retrieveRequestID)"}},
	{"smithyhttp.Response", []string{"amplifyuibuilder.newAttemptResponse"}},
	{"retry.Attempt", []string{"aws-sdk-go-v2/aws/retry."}},
	{"serialization", []string{"amplifyuibuilder.(*serializeInput)", "amplifyuibuilder.requestBody", "amplifyuibuilder.requestPath", "jsonwire.NewObjectWriter", "jsonwire.(*ObjectWriter)"}},
	{"deserialization", []string{"amplifyuibuilder.(*deserializeOutput)", "amplifyuibuilder.decodeTokenResponse", "amplifyuibuilder.(*responseBuffer)", "internal/jsonwire."}},
	{"request construction", []string{"amplifyuibuilder.newRequest", "amplifyuibuilder.sendRequest.Handle", "amplifyuibuilder.(*payload)"}},
	{"call context and secrets", []string{"amplifyuibuilder.newCallContext", "amplifyuibuilder.(*callSecrets)", "amplifyuibuilder.(*getIdentity)", "amplifyuibuilder.(*callLogger)"}},
	{"benchmark input and output", []string{"amplifyuibuilder.(*Client).ExchangeCodeForToken", "amplifyuibuilder.(*Client).RefreshToken", "amplifyuibuilder.(*Client).invoke"}},
}

// floorCallees give the floor's allocations to parts by the function
// floorClient.post calls: the floor does every part in that one function.
var floorCallees = []allocPart{
	{"benchmark transport", []string{".(*cannedClient).Do"}},
	{"SignHTTP", []string{"aws/signer/v4.Signer.SignHTTP", "aws/signer/v4.(*Signer).SignHTTP"}},
	{"serialization", []string{"encoding/json.Marshal"}},
	{"request construction", []string{"net/http.NewRequestWithContext", "net/http.Header.Set", "runtime.concatstring"}},
	{"payload hash", []string{"crypto/sha256.", "encoding/hex."}},
	{"call context and secrets", []string{"credentials.StaticCredentialsProvider"}},
	{"deserialization", []string{"encoding/json.NewDecoder", "encoding/json.(*Decoder)", "io.Copy"}},
}

// The rows of the table, in the order.
var allocRows = []string{
	"SignHTTP", "retry.Attempt", "request construction", "invocation id", "user agent",
	"call context and secrets", "smithyhttp.Response", "payload hash", "response metadata",
	"deserialization", "serialization", "benchmark transport", "benchmark input and output", "other", tinyRow,
}

// tinyRow counts the allocations the runtime counted and the profile did
// not see: tiny allocations packed into a block allocated before.
const tinyRow = "tiny, packed (counted, not profiled)"

// allocSite is one allocation site's count over the measured calls.
type allocSite struct {
	stack         []string // function names, innermost first
	objects, size int64
}

// profileSites returns the allocation sites of the memory profile so far.
func profileSites() map[[32]uintptr]allocSite {
	// A profile shows allocations once a GC cycle or two has passed.
	runtime.GC()
	runtime.GC()
	var records []runtime.MemProfileRecord
	n, _ := runtime.MemProfile(nil, true)
	for {
		records = make([]runtime.MemProfileRecord, n+50)
		var ok bool
		if n, ok = runtime.MemProfile(records, true); ok {
			records = records[:n]
			break
		}
	}
	sites := map[[32]uintptr]allocSite{}
	for _, r := range records {
		// Stacks deeper than Stack0 are cut: sites that differ only
		// below it add up.
		s := sites[r.Stack0]
		s.objects += r.AllocObjects
		s.size += r.AllocBytes
		sites[r.Stack0] = s
	}
	return sites
}

// newSites returns what was allocated between two profiles, by site, with
// the sites' stacks.
func newSites(before, after map[[32]uintptr]allocSite) []allocSite {
	var out []allocSite
	for key, a := range after {
		b := before[key]
		if a.objects == b.objects {
			continue
		}
		site := allocSite{objects: a.objects - b.objects, size: a.size - b.size}
		frames := runtime.CallersFrames(slices.DeleteFunc(key[:], func(pc uintptr) bool { return pc == 0 }))
		for {
			f, more := frames.Next()
			site.stack = append(site.stack, f.Function)
			if !more {
				break
			}
		}
		out = append(out, site)
	}
	return out
}

// partOf names the part of one allocation site: the innermost frame that a
// part claims. For the floor, the part is the one of the function
// floorClient.post calls.
func partOf(stack []string, floor bool) string {
	if floor {
		for i, fn := range stack {
			if !strings.HasSuffix(fn, ".(*floorClient).post") {
				continue
			}
			// The callee nearest post decides.
			for j := i - 1; j >= 0; j-- {
				if part := matchPart(stack[j], floorCallees); part != "" {
					return part
				}
			}
			return "other"
		}
		return matchStack(stack, oursParts[:1]) // the transport, else other
	}
	return matchStack(stack, oursParts)
}

func matchStack(stack []string, parts []allocPart) string {
	for i, fn := range stack {
		if part := matchPart(fn, parts); part != "" {
			return part
		}
		// The benchmark's own closures (bench_test.go) build the input
		// and check the output; they are called by the closure of
		// benchImpls.
		if i+1 < len(stack) && isBenchClosure(fn) && isBenchClosure(stack[i+1]) {
			return "benchmark input and output"
		}
	}
	return "other"
}

func isBenchClosure(fn string) bool {
	return strings.HasPrefix(fn, "github.com/uibuilder-go/amplifyuibuilder.init.func")
}

func matchPart(fn string, parts []allocPart) string {
	for _, p := range parts {
		for _, frame := range p.frames {
			if strings.Contains(fn, frame) {
				return p.name
			}
		}
	}
	return ""
}

// accountCalls makes calls calls of call with every allocation profiled and
// returns the allocations by part, per call.
func accountCalls(call func(context.Context) error, calls int, floor bool, profile string) (map[string][2]float64, []allocSite, error) {
	ctx := context.Background()
	for range 100 { // warm up: pools, lazily built state
		if err := call(ctx); err != nil {
			return nil, nil, err
		}
	}
	before := profileSites()
	var statsBefore, statsAfter runtime.MemStats
	runtime.ReadMemStats(&statsBefore)
	for range calls {
		if err := call(ctx); err != nil {
			return nil, nil, err
		}
	}
	runtime.ReadMemStats(&statsAfter)
	sites := newSites(before, profileSites())
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return nil, nil, err
		}
		defer f.Close()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			return nil, nil, err
		}
	}
	parts := map[string][2]float64{}
	for _, s := range sites {
		p := parts[partOf(s.stack, floor)]
		p[0] += float64(s.objects) / float64(calls)
		p[1] += float64(s.size) / float64(calls)
		parts[partOf(s.stack, floor)] = p
	}
	// The profile does not see an allocation that the runtime's tiny
	// allocator packs into a block it already has (a small pointer-free
	// value: an *int32's int32, a short string); the counters do.
	var seen float64
	for _, p := range parts {
		seen += p[0]
	}
	counted := float64(statsAfter.Mallocs-statsBefore.Mallocs) / float64(calls)
	if unseen := counted - seen; unseen > 0 {
		parts[tinyRow] = [2]float64{unseen, 0}
	}
	return parts, sites, nil
}

func TestAllocationAccounting(t *testing.T) {
	if os.Getenv("UIB_ALLOCS") == "" {
		t.Skip("the allocation accounting runs only when asked: UIB_ALLOCS=1 go test -run TestAllocationAccounting -v .")
	}
	op := exchangeBench
	if os.Getenv("UIB_ALLOCS_OP") == refreshBench.name {
		op = refreshBench
	}
	rate := runtime.MemProfileRate
	runtime.MemProfileRate = 1
	defer func() { runtime.MemProfileRate = rate }()

	const calls = 2000
	var results [2]map[string][2]float64
	var sites [2][]allocSite
	for i, impl := range benchImpls {
		call := impl.call(op, newCannedClient(op.response), "https://amplifyuibuilder.us-west-2.amazonaws.com")
		profile := ""
		if dir := os.Getenv("UIB_ALLOCS_PROFILE"); dir != "" {
			profile = fmt.Sprintf("%s/allocs-%s.pprof", dir, impl.name)
		}
		var err error
		if results[i], sites[i], err = accountCalls(call, calls, impl.name == "floor", profile); err != nil {
			t.Fatal(err)
		}
	}
	printAccounting(os.Stdout, op.name, results[0], results[1])
	if part := os.Getenv("UIB_ALLOCS_SITES"); part != "" {
		for i, impl := range benchImpls {
			printSites(os.Stdout, impl.name, part, sites[i], calls, impl.name == "floor")
		}
	}
}

// printAccounting prints allocations per call by part, ours and the floor's,
// then the totals the targets are about.
func printAccounting(w io.Writer, op string, ours, floor map[string][2]float64) {
	fmt.Fprintf(w, "\nallocations of one %s call, in memory, by part (allocs · bytes)\n\n", op)
	fmt.Fprintf(w, "| part of the call | ours | floor |\n|---|---|---|\n")
	cell := func(v [2]float64) string {
		if v[0] < 0.005 {
			return "–"
		}
		return fmt.Sprintf("%.0f · %.0f B", v[0], v[1])
	}
	var total, own [2][2]float64
	for _, row := range allocRows {
		o, f := ours[row], floor[row]
		fmt.Fprintf(w, "| %s | %s | %s |\n", row, cell(o), cell(f))
		for i, v := range [][2]float64{o, f} {
			total[i][0] += v[0]
			total[i][1] += v[1]
			if row != "SignHTTP" && row != "retry.Attempt" {
				own[i][0] += v[0]
				own[i][1] += v[1]
			}
		}
	}
	fmt.Fprintf(w, "| **outside SignHTTP and retry.Attempt** | **%s** | **%s** |\n", cell(own[0]), cell(own[1]))
	fmt.Fprintf(w, "| **whole call** | **%s** | **%s** |\n", cell(total[0]), cell(total[1]))
	fmt.Fprintf(w, "\nours/floor allocs/op: %.3f (target 1.45); ours outside SignHTTP and retry.Attempt: %.1f (target: the floor's %.1f)\n",
		total[0][0]/total[1][0], own[0][0], own[1][0])
}

// printSites lists one part's allocation sites with their stacks, for
// finding what to cut.
func printSites(w io.Writer, side, part string, sites []allocSite, calls int, floor bool) {
	fmt.Fprintf(w, "\n%s, %s:\n", side, part)
	slices.SortFunc(sites, func(a, b allocSite) int { return int(b.objects - a.objects) })
	for _, s := range sites {
		if partOf(s.stack, floor) != part {
			continue
		}
		fmt.Fprintf(w, "  %.2f allocs, %.0f B per call\n", float64(s.objects)/float64(calls), float64(s.size)/float64(calls))
		for _, fn := range s.stack[:min(len(s.stack), 8)] {
			fmt.Fprintf(w, "      %s\n", fn)
		}
	}
}
