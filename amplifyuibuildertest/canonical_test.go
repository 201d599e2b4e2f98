package amplifyuibuildertest

import (
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
