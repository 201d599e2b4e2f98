package jsonwire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// TypeError reports a member whose JSON type is not the one the model gives
// it. It never carries the value: the value may be a secret.
type TypeError struct {
	Want string // "string", "integer"
	Got  string // "number", "object", ...
}

// Error names the expected and the actual JSON type.
func (e *TypeError) Error() string {
	return fmt.Sprintf("expected JSON %s, got %s", e.Want, e.Got)
}

// ErrInt32Range reports an integer member that does not fit in int32.
var ErrInt32Range = errors.New("integer out of int32 range")

// Object calls fn for each member of the JSON object in data, in document
// order, with the member's unescaped key and its raw value. data must be
// valid JSON (check it with json.Valid first); if it is not an object, Object
// returns a *TypeError. Duplicate keys are passed to fn each time, so the last
// one wins when fn stores values.
func Object(data []byte, fn func(key, value []byte) error) error {
	i := skipSpace(data, 0)
	if i == len(data) || data[i] != '{' {
		return &TypeError{Want: "object", Got: Kind(data)}
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return nil
	}
	for i < len(data) {
		keyEnd := skipString(data, i)
		key := data[i+1 : keyEnd-1]
		// Escapes and invalid UTF-8 (which reads as U+FFFD) need decoding;
		// a plain key is its own bytes.
		if bytes.IndexByte(key, '\\') >= 0 || !utf8.Valid(key) {
			var s string
			if err := json.Unmarshal(data[i:keyEnd], &s); err != nil {
				return err
			}
			key = []byte(s)
		}
		i = skipSpace(data, keyEnd)
		i = skipSpace(data, i+1) // the ':'
		valueEnd := skipValue(data, i)
		if err := fn(key, data[i:valueEnd]); err != nil {
			return err
		}
		i = skipSpace(data, valueEnd)
		if i >= len(data) || data[i] == '}' {
			return nil
		}
		i = skipSpace(data, i+1) // the ','
	}
	return nil
}

// String decodes a JSON string value. null gives nil: absent and null are the
// same thing on the wire.
func String(value []byte) (*string, error) {
	if isNull(value) {
		return nil, nil
	}
	if len(value) < 2 || value[0] != '"' {
		return nil, &TypeError{Want: "string", Got: Kind(value)}
	}
	inner := value[1 : len(value)-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		s := string(inner)
		return &s, nil
	}
	var s string
	if err := json.Unmarshal(value, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// Int32 decodes a JSON integer that must fit in int32. A fraction or an
// exponent is a *TypeError, a value outside int32 is ErrInt32Range, null
// gives nil.
func Int32(value []byte) (*int32, error) {
	if isNull(value) {
		return nil, nil
	}
	digits := value
	negative := len(digits) > 0 && digits[0] == '-'
	if negative {
		digits = digits[1:]
	}
	if len(digits) == 0 {
		return nil, &TypeError{Want: "integer", Got: Kind(value)}
	}
	var n int64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return nil, &TypeError{Want: "integer", Got: Kind(value)}
		}
		n = n*10 + int64(c-'0')
		if n > 1<<31 {
			return nil, ErrInt32Range
		}
	}
	if negative {
		n = -n
	}
	if n > 1<<31-1 || n < -1<<31 {
		return nil, ErrInt32Range
	}
	v := int32(n)
	return &v, nil
}

// Kind names the JSON type of a valid value, for error messages.
func Kind(value []byte) string {
	i := skipSpace(value, 0)
	if i == len(value) {
		return "nothing"
	}
	switch c := value[i]; {
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == '"':
		return "string"
	case c == 't' || c == 'f':
		return "boolean"
	case c == 'n':
		return "null"
	case c == '-' || (c >= '0' && c <= '9'):
		if bytes.ContainsAny(value[i:], ".eE") {
			return "number with a fraction or exponent"
		}
		return "number"
	}
	return "invalid JSON"
}

func isNull(value []byte) bool {
	return len(value) == 4 && string(value) == "null"
}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the index just past the string literal starting at i.
func skipString(data []byte, i int) int {
	for i++; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(data)
}

// skipValue returns the index just past the value starting at i. It relies on
// data being valid JSON: it counts brackets and skips strings, nothing more.
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return i
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for i < len(data) {
			switch data[i] {
			case '"':
				i = skipString(data, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	default:
		for i < len(data) {
			switch data[i] {
			case ',', '}', ']', ' ', '\t', '\r', '\n':
				return i
			}
			i++
		}
		return i
	}
}
