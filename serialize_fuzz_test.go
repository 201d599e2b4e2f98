package amplifyuibuilder

import (
	"net/url"
	"strings"
	"testing"

	"github.com/aws/smithy-go/encoding/httpbinding"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unreservedBytes are the bytes a label keeps as they are (RFC 3986
// unreserved), spelled out here independently of the code under test.
const unreservedBytes = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"

func isUnreserved(c byte) bool { return strings.IndexByte(unreservedBytes, c) >= 0 }

func isUpperHex(c byte) bool { return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' }

// SPEC's vector, and one of every class of byte.
func TestEscapeLabel(t *testing.T) {
	assert.Equal(t, "fi%20gma%2F..%2Fx%3Fy%23z", escapeLabel("fi gma/../x?y#z"))
	assert.Equal(t, "figma", escapeLabel("figma"))
	assert.Equal(t, "A-Z_a.z~0%25%2B%3A%40%C3%A9", escapeLabel("A-Z_a.z~0%+:@é"))
}

// FuzzEscapeLabel checks the label encoding's promises on any input: it is
// smithy-go's httpbinding encoding, it reads back as the input, and it holds
// nothing but unreserved characters and uppercase %XX escapes (so never a
// '/', '?' or '#'), one escape for each byte that is not unreserved.
func FuzzEscapeLabel(f *testing.F) {
	for _, seed := range []string{
		"", "figma", "fi gma/../x?y#z", "A-Z_a.z~0", "%2F", "%", "é😀", "\x00\xff", "a+b=c&d;e:f@g", "../..",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		escaped := escapeLabel(s)
		assert.Equal(t, httpbinding.EscapePath(s, true), escaped)

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
	})
}
