// Package httpbind places operation inputs into the HTTP request: URI labels
// today.
package httpbind

const upperHex = "0123456789ABCDEF"

// EscapeLabel percent-encodes a URI label value as the restJson1 protocol
// does: every byte except the unreserved characters A-Z a-z 0-9 - . _ ~ is
// written as %XX with uppercase hex. '/' is encoded too, so a label can never
// add a path segment ("a/../b" stays one segment). Neither url.PathEscape nor
// url.QueryEscape does this: the first keeps '/', ':' and '@' among others,
// the second writes ' ' as '+'.
func EscapeLabel(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	return string(AppendEscapedLabel(make([]byte, 0, len(s)+2*n), s))
}

// AppendEscapedLabel appends the escaped form of s to dst.
func AppendEscapedLabel(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			dst = append(dst, c)
			continue
		}
		dst = append(dst, '%', upperHex[c>>4], upperHex[c&0xF])
	}
	return dst
}

func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}
