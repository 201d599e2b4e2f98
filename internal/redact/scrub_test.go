package redact

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestScrubberReplacesEveryOccurrence(t *testing.T) {
	s := NewScrubber("secret-value-1", "another<secret>")
	assert.Equal(t, "a [REDACTED] b [REDACTED]", s.Scrub("a secret-value-1 b secret-value-1"))
	assert.Equal(t, "[REDACTED] and [REDACTED]", s.Scrub(`another<secret> and another\u003csecret\u003e`),
		"the value as encoding/json escapes it in a string")
	assert.Equal(t, "nothing to hide", s.Scrub("nothing to hide"))
}

func TestScrubberKnowsBothJSONEscapings(t *testing.T) {
	s := NewScrubber(`sec<ret"value`)
	assert.Equal(t, "[REDACTED] [REDACTED] [REDACTED]", s.Scrub(`sec<ret"value sec\u003cret\"value sec<ret\"value`),
		"as it is, as encoding/json escapes it, and as the client's request body carries it")
}

func TestScrubberReplacesTheLongestValueWhole(t *testing.T) {
	s := NewScrubber("token-12345678", "token-12345678-extended")
	assert.Equal(t, "x [REDACTED] y", s.Scrub("x token-12345678-extended y"))
}

func TestScrubberSkipsShortValues(t *testing.T) {
	s := NewScrubber("", "a", "1234567")
	assert.Equal(t, "a 1234567 b", s.Scrub("a 1234567 b"), "values shorter than MinScrubLength are left alone")
	s = NewScrubber("12345678")
	assert.Equal(t, "a [REDACTED] b", s.Scrub("a 12345678 b"))
}

func TestScrubberNil(t *testing.T) {
	var s *Scrubber
	assert.Equal(t, "text", s.Scrub("text"))
}

// FuzzMayHold: when MayHold says a text cannot hold a value, a Scrubber of
// that value leaves the text as it is; the shortcut never skips a secret.
func FuzzMayHold(f *testing.F) {
	f.Add("id-secret-value-1-x", "secret-value-1")
	f.Add(`id-sec\u003cret-value`, "sec<ret-value")
	f.Add(`a sec<ret\"value b`, `sec<ret"value`)
	f.Add("plain text", "secret-value-1")
	f.Add("\xff\xfe", "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8")
	f.Fuzz(func(t *testing.T, text, value string) {
		if !MayHold(text, value) {
			assert.Equal(t, text, NewScrubber(value).Scrub(text))
		}
		if len(value) >= MinScrubLength {
			assert.True(t, MayHold(text+value, value))
		}
	})
}
