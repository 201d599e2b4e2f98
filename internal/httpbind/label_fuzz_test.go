package httpbind

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unreservedBytes are the bytes a label keeps as they are (RFC 3986
// unreserved), spelled out here independently of the code under test.
const unreservedBytes = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"

func isUnreserved(c byte) bool { return strings.IndexByte(unreservedBytes, c) >= 0 }

// FuzzEscapeLabel checks the label encoding's promises on any input: it
// reads back as the input, it holds nothing but unreserved characters and
// uppercase %XX escapes (so never a '/', '?' or '#'), it escapes exactly the
// bytes that are not unreserved, and AppendEscapedLabel agrees with it.
func FuzzEscapeLabel(f *testing.F) {
	for _, seed := range []string{
		"", "figma", "fi gma/../x?y#z", "A-Z_a.z~0", "%2F", "%", "é😀", "\x00\xff", "a+b=c&d;e:f@g", "../..",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		escaped := EscapeLabel(s)

		back, err := url.PathUnescape(escaped)
		require.NoError(t, err)
		assert.Equal(t, s, back)

		reserved := 0
		for i := 0; i < len(s); i++ {
			if !isUnreserved(s[i]) {
				reserved++
			}
		}
		assert.Len(t, escaped, len(s)+2*reserved, "only reserved bytes are escaped, each as %%XX")
		for i := 0; i < len(escaped); i++ {
			c := escaped[i]
			if c == '%' {
				require.Less(t, i+2, len(escaped))
				assert.True(t, isUpperHex(escaped[i+1]) && isUpperHex(escaped[i+2]), "%q", escaped)
				i += 2
				continue
			}
			assert.True(t, isUnreserved(c), "%q left unescaped in %q", c, escaped)
		}

		assert.Equal(t, "prefix/"+escaped, string(AppendEscapedLabel([]byte("prefix/"), s)))
	})
}

func isUpperHex(c byte) bool { return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' }
