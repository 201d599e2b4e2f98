package jsonwire

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/internal/jsonoracle"
)

// readSeeds are documents that reach every branch of the reader.
var readSeeds = []string{
	`{}`,
	` { "a" : "b" , "c" : 1 } `,
	`{"accessToken":"at-1","expiresIn":3600,"refreshToken":"rt-1"}`,
	`{"accessToken":null,"expiresIn":null}`,
	`{"a":"x","a":"y","a":null}`,
	`{"k\u0065y":"v\n\"\\\/\u00e9\ud83d\ude00"}`,
	"{\"k\xffey\":\"v\xfe\"}",
	`{"n":-0,"m":-2147483648,"o":2147483647,"p":2147483648,"q":-2147483649,"r":99999999999999999999}`,
	`{"f":1.5,"e":1e3,"E":-1E-3,"z":0.0}`,
	`{"o":{"a":[1,{"b":"}"}],"c":"]"},"arr":[[],[[]],{}],"t":true,"f":false}`,
	`{"s":"a\"}{][,:b"}`,
	`[1,2]`, `"str"`, `123`, `true`, `null`,
	`{"deep":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}`,
}

// FuzzObject checks the reader against encoding/json on every valid
// document: Object yields the members in order, keys unescaped, values raw;
// String and Int32 decode each value as encoding/json does, or refuse it with
// the documented error.
func FuzzObject(f *testing.F) {
	for _, seed := range readSeeds {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		var keys []string
		var values [][]byte
		err := Object(data, func(key, value []byte) error {
			keys = append(keys, string(key))
			values = append(values, append([]byte(nil), value...))
			return nil
		})

		want, isObject, oracleErr := jsonoracle.Members(data)
		require.NoError(t, oracleErr)
		if !isObject {
			var typeErr *TypeError
			require.ErrorAs(t, err, &typeErr)
			assert.Equal(t, "object", typeErr.Want)
			return
		}
		require.NoError(t, err)
		require.Len(t, keys, len(want))
		for i, member := range want {
			assert.Equal(t, member.Key, keys[i], "key %d", i)
			assert.Equal(t, string(member.Value), string(values[i]), "value of %q", member.Key)
			checkString(t, values[i])
			checkInt32(t, values[i])
		}
	})
}

func checkString(t *testing.T, value []byte) {
	t.Helper()
	got, err := String(value)
	want, outcome := jsonoracle.String(value)
	if outcome == jsonoracle.Decoded {
		require.NoError(t, err)
		assert.Equal(t, want, got)
		return
	}
	var typeErr *TypeError
	assert.ErrorAs(t, err, &typeErr)
	assert.Nil(t, got)
}

func checkInt32(t *testing.T, value []byte) {
	t.Helper()
	got, err := Int32(value)
	want, outcome := jsonoracle.Int32(value)
	switch outcome {
	case jsonoracle.Decoded:
		require.NoError(t, err)
		assert.Equal(t, want, got)
	case jsonoracle.OutOfRange:
		assert.ErrorIs(t, err, ErrInt32Range)
	default:
		var typeErr *TypeError
		assert.ErrorAs(t, err, &typeErr)
	}
}

// FuzzAppendString checks that what AppendString writes reads back, with
// encoding/json, as the string encoding/json itself would have written.
func FuzzAppendString(f *testing.F) {
	for _, seed := range []string{"", "plain", "quote\" backslash\\ slash/", "\x00\x1f\x7f\n\r\t", "<>&", "é😀", "\u2028\u2029", "bad\xffutf8\xc3"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := AppendString([]byte("prefix"), s)
		require.True(t, bytes.HasPrefix(out, []byte("prefix")))
		out = out[len("prefix"):]
		require.True(t, json.Valid(out), "%q", out)
		var got string
		require.NoError(t, json.Unmarshal(out, &got))
		reference, err := json.Marshal(s)
		require.NoError(t, err)
		var want string
		require.NoError(t, json.Unmarshal(reference, &want))
		assert.Equal(t, want, got)
	})
}
