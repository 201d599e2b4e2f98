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
