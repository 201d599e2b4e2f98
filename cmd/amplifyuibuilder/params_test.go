package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var requestParam = exchangeCodeForToken.body

// FuzzStructureParam: whatever the input, parsing returns an error or only
// members the structure has, and never panics.
func FuzzStructureParam(f *testing.F) {
	for _, seed := range []string{
		"code=a,redirectUri=b", "code=a=b,clientId=", `code='a,b'`, `code="a\"b"`, `code=a\,b`,
		`{"code":"a"}`, `{"code":1}`, "code=[a]", "code='", ",", "=", "code=a,,", "  code = a  ", "\x00=",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, value string) {
		members, err := requestParam.parse(value)
		if err != nil {
			return
		}
		for name := range members {
			assert.Contains(t, requestParam.members, name, "member %q", name)
		}
	})
}

// FuzzQuotedValueRoundTrip: any value, quoted by the shorthand's rules,
// parses back to itself.
func FuzzQuotedValueRoundTrip(f *testing.F) {
	for _, seed := range []string{"", "plain", "a,b", "it's", `back\slash`, `\'`, "=,=", " spaced ", "ünïcödé"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, value string) {
		quoted := "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(value) + "'"

		members, err := requestParam.parse("redirectUri=x, code=" + quoted + " ,clientId=c")

		require.NoError(t, err)
		assert.Equal(t, map[string]string{"code": value, "redirectUri": "x", "clientId": "c"}, members)
	})
}

func TestShorthandEmptyValue(t *testing.T) {
	members, err := requestParam.parse("code=,redirectUri=x")

	require.NoError(t, err)
	assert.Equal(t, map[string]string{"code": "", "redirectUri": "x"}, members)
}
