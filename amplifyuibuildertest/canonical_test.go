package amplifyuibuildertest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestNormalizePath holds the path rules botocore and the JavaScript SDK
// sign by (SPEC.md, "SigV4 as the service checks it").
func TestNormalizePath(t *testing.T) {
	for path, want := range map[string]string{
		"":                           "/",
		"/":                          "/",
		"/tokens/figma":              "/tokens/figma",
		"/tokens/.":                  "/tokens",
		"/tokens/./figma":            "/tokens/figma",
		"/tokens/x/../figma":         "/tokens/figma",
		"/../../tokens/figma":        "/tokens/figma",
		"/tokens//figma/refresh/.":   "/tokens/figma/refresh",
		"/tokens/figma/":             "/tokens/figma/",
		"/tokens/..":                 "/",
		"/tokens/%2E%2E/figma":       "/tokens/%2E%2E/figma",
		"/tokens/fi%20gma%2F..%2Fx":  "/tokens/fi%20gma%2F..%2Fx",
		"/tokens/.../figma":          "/tokens/.../figma",
		"/tokens/figma/refresh/../.": "/tokens/figma",
		"/.":                         "/",
		".":                          "/",
	} {
		assert.Equal(t, want, normalizePath(path), path)
	}
}

func TestCanonicalHeaderValue(t *testing.T) {
	for value, want := range map[string]string{
		"":                 "",
		"application/json": "application/json",
		"  a  ":            "a",
		"a\tb":             "a b",
		"\ta \t\t b  c\t":  "a b c",
		" \t ":             "",
	} {
		assert.Equal(t, want, canonicalHeaderValue(value), "%q", value)
	}
}

// FuzzNormalizePath: whatever the path, the result is a fixed point, keeps
// the leading slash (a path that was all dots becomes "/"), and holds no
// dot or empty segment.
func FuzzNormalizePath(f *testing.F) {
	for _, seed := range []string{"", "/", "/tokens/./figma", "/a/../../b/", "//x//", "/%2E/..", "a/b", "/./", "/.../..../"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, path string) {
		got := normalizePath(path)

		if normalizePath(got) != got {
			t.Fatalf("normalizePath(%q) = %q, which normalises to %q", path, got, normalizePath(got))
		}
		relative := path != "" && !strings.HasPrefix(path, "/")
		if strings.HasPrefix(got, "/") == relative && got != "/" {
			t.Fatalf("normalizePath(%q) = %q: leading slash changed", path, got)
		}
		inner := strings.Trim(got, "/")
		if inner == "" {
			return
		}
		for _, segment := range strings.Split(inner, "/") {
			if segment == "" || segment == "." || segment == ".." {
				t.Fatalf("normalizePath(%q) = %q keeps segment %q", path, got, segment)
			}
		}
	})
}
