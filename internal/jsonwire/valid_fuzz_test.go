package jsonwire

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// validSeeds reach every branch of Valid, and its edges: the nesting limit,
// every escape, numbers of every form, truncations.
var validSeeds = []string{
	``, ` `, `{}`, `[]`, `{"a":1}`, `{"a":1,}`, `{,}`, `{"a" 1}`, `{"a":}`, `{1:2}`, `[1,]`, `[,1]`, `[1 2]`,
	`"\"\\\/\b\f\n\r\t\u00e9\uD83D"`, `"\x"`, `"\u12"`, `"\u12G4"`, "\"a\x1fb\"", "\"\xff\xfe\"", `"abc`, `"\`,
	`0`, `-0`, `01`, `-`, `1.`, `1.5`, `.5`, `1e`, `1e+`, `1E-3`, `1e3.5`, `-01`, `123abc`, `1 2`,
	`true`, `tru`, `truex`, `false`, `null`, `nul`, `nulls`, ` {"a":[true,false,null,{"b":"c"}]} `,
	strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth),
	strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1),
	strings.Repeat(`{"a":`, maxDepth) + "1" + strings.Repeat("}", maxDepth),
	strings.Repeat(`{"a":`, maxDepth+1) + "1" + strings.Repeat("}", maxDepth+1),
	"{\"a\":1}\x00", "\ufeff{}", "{}\v",
}

// FuzzValid holds Valid to encoding/json's Valid, on bytes and on strings.
func FuzzValid(f *testing.F) {
	for _, seed := range append(validSeeds, readSeeds...) {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want := json.Valid(data)
		assert.Equal(t, want, Valid(data), "%q", data)
		assert.Equal(t, want, Valid(string(data)), "%q as a string", data)
	})
}
