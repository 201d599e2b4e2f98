package jsonwire

import "unicode/utf8"

const hexDigits = "0123456789abcdef"

// AppendString appends s to dst as a JSON string literal, escaped as the
// aws-sdk-go-v2 encoder escapes it: '"', '\\' and control characters; invalid
// UTF-8 becomes U+FFFD; U+2028 and U+2029 are escaped. '<', '>' and '&' are
// written as they are (no HTML escaping).
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// ObjectWriter appends the members of one JSON object to a byte slice. Members
// whose value is nil are left out, as the restJson1 protocol requires.
type ObjectWriter struct {
	buf   []byte
	empty bool
}

// NewObjectWriter starts an object at the end of dst.
func NewObjectWriter(dst []byte) ObjectWriter {
	return ObjectWriter{buf: append(dst, '{'), empty: true}
}

// String writes the member key with the value *v, or nothing when v is nil.
func (w *ObjectWriter) String(key string, v *string) {
	if v == nil {
		return
	}
	if !w.empty {
		w.buf = append(w.buf, ',')
	}
	w.empty = false
	w.buf = AppendString(w.buf, key)
	w.buf = append(w.buf, ':')
	w.buf = AppendString(w.buf, *v)
}

// Close ends the object and returns the slice holding it.
func (w *ObjectWriter) Close() []byte {
	return append(w.buf, '}')
}
