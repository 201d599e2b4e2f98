// Package testenv lets a test that needs a program outside Go (a browser,
// boto3, the AWS CLI, Node.js) skip where that program is absent, and fail
// instead where the environment says every such test must run, as CI does.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// RequireVar is the environment variable that turns a missing-program skip
// into a failure. .ci/run sets it to 1, so that CI always runs these tests.
const RequireVar = "AMPLIFYUIBUILDER_REQUIRE_INTEROP"

// Required reports whether RequireVar asks every interop test to run.
func Required() bool {
	v := os.Getenv(RequireVar)
	return v != "" && v != "0"
}

// Unavailable stops t because something it needs is missing: a skip with the
// message where that is allowed, a failure where RequireVar is set.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	if Required() {
		t.Fatalf(format+" (and "+RequireVar+" is set, so this test must run)", args...)
		return
	}
	t.Skipf(format, args...)
}

// LookPath returns the path of the first of names found on PATH, or stops t
// through Unavailable when none is.
func LookPath(t testing.TB, names ...string) string {
	t.Helper()
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	Unavailable(t, "none of %q is installed", names)
	return ""
}
