// Package jsonoracle reads JSON with encoding/json alone, as the reference
// the fuzz tests hold the client's own reader (internal/jsonwire) and
// deserializers to. Tests import it; the client does not.
package jsonoracle

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
)

// Member is one top-level member of an object, as written.
type Member struct {
	Key   string          // unescaped
	Value json.RawMessage // as written
}

// Members returns the top-level members of the valid JSON document data, in
// order, duplicates kept, keys unescaped. isObject is false when the document
// is not an object.
func Members(data []byte) (members []Member, isObject bool, err error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // a number too large for float64 is still valid JSON
	tok, err := dec.Token()
	if err != nil {
		return nil, false, err
	}
	if tok != json.Delim('{') {
		return nil, false, nil
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, true, err
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, true, err
		}
		members = append(members, Member{Key: key.(string), Value: value})
	}
	return members, true, nil
}

// Body returns the top-level members of a response body read the way the
// restJson1 protocol reads one: a body that is empty (JSON whitespace aside)
// or null has none; a body that is not JSON, or not an object, is no body
// (ok is false).
func Body(body []byte) (members []Member, ok bool, err error) {
	trimmed := bytes.Trim(body, " \t\r\n")
	if len(trimmed) == 0 || string(trimmed) == "null" {
		return nil, true, nil
	}
	if !json.Valid(body) {
		return nil, false, nil
	}
	members, isObject, err := Members(body)
	return members, isObject, err
}

// Outcome is what decoding one value into a type gave.
type Outcome int

const (
	// Decoded: the value is of the type (or null, which decodes to nil).
	Decoded Outcome = iota
	// WrongType: the value is of another JSON type, or a number with a
	// fraction or an exponent where an integer belongs.
	WrongType
	// OutOfRange: an integer that does not fit.
	OutOfRange
)

// String decodes a valid JSON value as a string; null gives nil.
func String(value []byte) (*string, Outcome) {
	switch v := decodeAny(value).(type) {
	case nil:
		return nil, Decoded
	case string:
		return &v, Decoded
	}
	return nil, WrongType
}

// Int32 decodes a valid JSON value as an integer that fits in int32; null
// gives nil.
func Int32(value []byte) (*int32, Outcome) {
	switch v := decodeAny(value).(type) {
	case nil:
		return nil, Decoded
	case json.Number:
		n, err := strconv.ParseInt(string(v), 10, 32)
		var numErr *strconv.NumError
		switch {
		case err == nil:
			i := int32(n)
			return &i, Decoded
		case errors.As(err, &numErr) && errors.Is(numErr.Err, strconv.ErrRange):
			return nil, OutOfRange
		}
	}
	return nil, WrongType
}

// notJSON is what decodeAny returns for a value that does not decode.
type notJSON struct{}

// decodeAny decodes a value with numbers kept as json.Number.
func decodeAny(value []byte) any {
	dec := json.NewDecoder(bytes.NewReader(value))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return notJSON{}
	}
	return v
}
