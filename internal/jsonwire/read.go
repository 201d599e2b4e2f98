package jsonwire

import (
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Text is what the reader reads: a document held as a string or as bytes.
// Read from a string, String's values share the document's memory: a large
// token is not copied again.
type Text interface{ ~string | ~[]byte }

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
// valid JSON (check it with Valid first); if it is not an object, Object
// returns a *TypeError. Duplicate keys are passed to fn each time, so the last
// one wins when fn stores values.
func Object[T Text](data T, fn func(key, value T) error) error {
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
		if !plain(key) {
			var s string
			if err := json.Unmarshal([]byte(data[i:keyEnd]), &s); err != nil {
				return err
			}
			key = T(s)
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
func String[T Text](value T) (*string, error) {
	s, ok, err := StringValue(value)
	if !ok || err != nil {
		return nil, err
	}
	return &s, nil
}

// StringValue is String without the pointer: ok is false for null.
func StringValue[T Text](value T) (s string, ok bool, err error) {
	if isNull(value) {
		return "", false, nil
	}
	if len(value) < 2 || value[0] != '"' {
		return "", false, &TypeError{Want: "string", Got: Kind(value)}
	}
	if inner := value[1 : len(value)-1]; plain(inner) {
		return string(inner), true, nil
	}
	return unescape([]byte(value))
}

// unescape decodes a string literal with escapes or invalid UTF-8, as
// encoding/json does. It is a function of its own so that the string it
// decodes into, which escapes to encoding/json, is allocated on this path
// only.
func unescape(value []byte) (string, bool, error) {
	var s string
	if err := json.Unmarshal(value, &s); err != nil {
		return "", false, err
	}
	return s, true, nil
}

// plain reports whether a string literal's content reads as its own bytes:
// no escape, and valid UTF-8 (invalid UTF-8 reads as U+FFFD).
func plain[T Text](s T) bool {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			return false
		}
		if s[i] >= utf8.RuneSelf {
			ascii = false
		}
	}
	return ascii || utf8.ValidString(string(s))
}

// Int32 decodes a JSON integer that must fit in int32. A fraction or an
// exponent is a *TypeError, a value outside int32 is ErrInt32Range, null
// gives nil.
func Int32[T Text](value T) (*int32, error) {
	v, ok, err := Int32Value(value)
	if !ok || err != nil {
		return nil, err
	}
	return &v, nil
}

// Int32Value is Int32 without the pointer: ok is false for null.
func Int32Value[T Text](value T) (v int32, ok bool, err error) {
	if isNull(value) {
		return 0, false, nil
	}
	digits := value
	negative := len(digits) > 0 && digits[0] == '-'
	if negative {
		digits = digits[1:]
	}
	if len(digits) == 0 {
		return 0, false, &TypeError{Want: "integer", Got: Kind(value)}
	}
	var n int64
	for j := 0; j < len(digits); j++ {
		if c := digits[j]; c < '0' || c > '9' {
			return 0, false, &TypeError{Want: "integer", Got: Kind(value)}
		}
		n = n*10 + int64(digits[j]-'0')
		if n > 1<<31 {
			return 0, false, ErrInt32Range
		}
	}
	if negative {
		n = -n
	}
	if n > 1<<31-1 || n < -1<<31 {
		return 0, false, ErrInt32Range
	}
	return int32(n), true, nil
}

// Kind names the JSON type of a valid value, for error messages.
func Kind[T Text](value T) string {
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
		for j := i; j < len(value); j++ {
			if c := value[j]; c == '.' || c == 'e' || c == 'E' {
				return "number with a fraction or exponent"
			}
		}
		return "number"
	}
	return "invalid JSON"
}

func isNull[T Text](value T) bool {
	return len(value) == 4 && value[0] == 'n' && value[1] == 'u' && value[2] == 'l' && value[3] == 'l'
}

func skipSpace[T Text](data T, i int) int {
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
func skipString[T Text](data T, i int) int {
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
func skipValue[T Text](data T, i int) int {
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
