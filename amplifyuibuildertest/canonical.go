package amplifyuibuildertest

import (
	"net/http"
	"strings"
)

// This file canonicalises a request as the service does before it checks a
// SigV4 signature, and as botocore, the AWS CLI and the AWS SDK for
// JavaScript sign (SPEC.md, "SigV4 as the service checks it").
// aws-sdk-go-v2's signer, which computes the signature from what this file
// gives it, signs the path as sent and keeps tabs: a verifier that fed it
// the request unchanged would refuse those SDKs' valid requests.

// sentPath returns the path of the request target as it came on the wire,
// still escaped: the path the other SDKs sign, before their normalisation.
func sentPath(r *http.Request) string {
	target := r.RequestURI
	if !strings.HasPrefix(target, "/") {
		// Absolute form, or a request made in the process without a
		// request URI: the parsed URL is all there is.
		return r.URL.EscapedPath()
	}
	path, _, _ := strings.Cut(target, "?")
	return path
}

// normalizePath removes the dot segments of an escaped path, as the SigV4
// specification asks for every service but S3, in the way botocore and the
// JavaScript SDK do it: "." segments and empty segments go, ".." removes
// the segment before it (never beyond the root), the leading slash stays,
// and a trailing slash stays when a segment is left. So "/tokens/." becomes
// "/tokens" and "/tokens/./figma/../figma//refresh/" becomes
// "/tokens/figma/refresh/". An escaped dot (%2E) is not a dot segment.
// The result names both what is signed and what is routed.
func normalizePath(path string) string {
	if path == "" {
		return "/"
	}
	var kept []string
	for _, segment := range strings.Split(path, "/") {
		switch segment {
		case "", ".":
		case "..":
			if len(kept) > 0 {
				kept = kept[:len(kept)-1]
			}
		default:
			kept = append(kept, segment)
		}
	}
	var b strings.Builder
	if strings.HasPrefix(path, "/") {
		b.WriteByte('/')
	}
	b.WriteString(strings.Join(kept, "/"))
	if len(kept) > 0 && strings.HasSuffix(path, "/") {
		b.WriteByte('/')
	}
	if b.Len() == 0 {
		return "/" // a path that was all dots: a request's path is never empty
	}
	return b.String()
}

// canonicalHeaderValue trims a header value and turns every run of spaces
// and tabs in it into one space, as the SigV4 specification asks.
func canonicalHeaderValue(value string) string {
	var b strings.Builder
	b.Grow(len(value))
	space := false
	for i := 0; i < len(value); i++ {
		c := value[i]
		if c == ' ' || c == '\t' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteByte(c)
	}
	return b.String()
}
