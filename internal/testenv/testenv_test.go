package testenv

import (
	"testing"
)

// fakeTB records how Unavailable stopped the test.
type fakeTB struct {
	testing.TB
	skipped, failed bool
}

func (f *fakeTB) Helper()               {}
func (f *fakeTB) Skipf(string, ...any)  { f.skipped = true }
func (f *fakeTB) Fatalf(string, ...any) { f.failed = true }

func TestUnavailableSkipsUnlessRequired(t *testing.T) {
	t.Setenv(RequireVar, "")
	var tb fakeTB
	Unavailable(&tb, "no browser")
	if !tb.skipped || tb.failed {
		t.Fatalf("without %s: skipped=%v failed=%v, want a skip", RequireVar, tb.skipped, tb.failed)
	}

	t.Setenv(RequireVar, "1")
	tb = fakeTB{}
	Unavailable(&tb, "no browser")
	if tb.skipped || !tb.failed {
		t.Fatalf("with %s=1: skipped=%v failed=%v, want a failure", RequireVar, tb.skipped, tb.failed)
	}
}

func TestLookPathFindsAProgram(t *testing.T) {
	t.Setenv(RequireVar, "1")
	var tb fakeTB
	if p := LookPath(&tb, "no-such-program-here", "sh"); p == "" || tb.failed {
		t.Fatalf("LookPath(sh) = %q, failed=%v", p, tb.failed)
	}
	tb = fakeTB{}
	LookPath(&tb, "no-such-program-here")
	if !tb.failed {
		t.Fatal("LookPath of a missing program did not stop the test")
	}
}
