package jsonwire

// Valid reports whether data is one JSON value, with nothing but whitespace
// around it, exactly as encoding/json's Valid does (FuzzValid holds it to
// that): the same grammar, string contents taken byte by byte (control
// characters refused, any other byte accepted), and the same limit of 10,000
// nested objects and arrays. Unlike json.Valid it reads a string as well as
// bytes, without copying it.
func Valid[T Text](data T) bool {
	v := validator[T]{data: data}
	i, ok := v.value(skipSpace(data, 0), 0)
	return ok && skipSpace(data, i) == len(data)
}

// maxDepth is encoding/json's limit on nesting.
const maxDepth = 10000

type validator[T Text] struct{ data T }

// value checks the value at i, at the given nesting depth, and returns the
// index just past it.
func (v validator[T]) value(i, depth int) (int, bool) {
	d := v.data
	if i >= len(d) {
		return i, false
	}
	switch c := d[i]; {
	case c == '{':
		if depth++; depth > maxDepth {
			return i, false
		}
		i = skipSpace(d, i+1)
		if i < len(d) && d[i] == '}' {
			return i + 1, true
		}
		for {
			if i >= len(d) || d[i] != '"' {
				return i, false
			}
			var ok bool
			if i, ok = v.string(i); !ok {
				return i, false
			}
			i = skipSpace(d, i)
			if i >= len(d) || d[i] != ':' {
				return i, false
			}
			if i, ok = v.value(skipSpace(d, i+1), depth); !ok {
				return i, false
			}
			i = skipSpace(d, i)
			if i >= len(d) {
				return i, false
			}
			switch d[i] {
			case '}':
				return i + 1, true
			case ',':
				i = skipSpace(d, i+1)
			default:
				return i, false
			}
		}
	case c == '[':
		if depth++; depth > maxDepth {
			return i, false
		}
		i = skipSpace(d, i+1)
		if i < len(d) && d[i] == ']' {
			return i + 1, true
		}
		for {
			var ok bool
			if i, ok = v.value(i, depth); !ok {
				return i, false
			}
			i = skipSpace(d, i)
			if i >= len(d) {
				return i, false
			}
			switch d[i] {
			case ']':
				return i + 1, true
			case ',':
				i = skipSpace(d, i+1)
			default:
				return i, false
			}
		}
	case c == '"':
		return v.string(i)
	case c == '-' || '0' <= c && c <= '9':
		return v.number(i)
	case c == 't':
		return v.literal(i, "true")
	case c == 'f':
		return v.literal(i, "false")
	case c == 'n':
		return v.literal(i, "null")
	}
	return i, false
}

// string checks the string literal at i.
func (v validator[T]) string(i int) (int, bool) {
	d := v.data
	for i++; i < len(d); i++ {
		switch c := d[i]; {
		case c == '"':
			return i + 1, true
		case c < 0x20:
			return i, false
		case c == '\\':
			i++
			if i >= len(d) {
				return i, false
			}
			switch d[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				for range 4 {
					i++
					if i >= len(d) || !isHex(d[i]) {
						return i, false
					}
				}
			default:
				return i, false
			}
		}
	}
	return i, false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// number checks the number at i: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (v validator[T]) number(i int) (int, bool) {
	d := v.data
	if d[i] == '-' {
		i++
	}
	digits := func() bool {
		start := i
		for i < len(d) && '0' <= d[i] && d[i] <= '9' {
			i++
		}
		return i > start
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case !digits():
		return i, false
	}
	if i < len(d) && d[i] == '.' {
		i++
		if !digits() {
			return i, false
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if !digits() {
			return i, false
		}
	}
	return i, true
}

// literal checks the literal word at i.
func (v validator[T]) literal(i int, word string) (int, bool) {
	d := v.data
	if len(d)-i < len(word) {
		return i, false
	}
	for j := 0; j < len(word); j++ {
		if d[i+j] != word[j] {
			return i, false
		}
	}
	return i + len(word), true
}
