package redact

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/uibuilder-go/amplifyuibuilder/internal/jsonwire"
)

// MinScrubLength is the length of the shortest value a Scrubber removes.
// Shorter values cannot be told apart from ordinary words in the text they
// would be removed from; where they are secrets, they are redacted by the
// position they hold (a member, a header) instead.
const MinScrubLength = 8

// Scrubber removes known secret values from text whose structure is not
// known: what a server sent back, a log line another library formatted.
type Scrubber struct {
	replacer *strings.Replacer
}

// NewScrubber returns a Scrubber that replaces each value of at least
// MinScrubLength bytes with Marker, both as it is and as it reads inside a
// JSON string: escaped as encoding/json escapes it, '<', '>' and '&'
// included, and as the client's own request bodies carry it (jsonwire, which
// leaves those three as they are), so that a server echoing the raw body
// into its text is covered too.
func NewScrubber(values ...string) *Scrubber {
	forms := map[string]bool{}
	for _, v := range values {
		if len(v) < MinScrubLength {
			continue
		}
		forms[v] = true
		forms[jsonEscaped(v)] = true
		forms[wireEscaped(v)] = true
	}
	if len(forms) == 0 {
		return &Scrubber{}
	}
	// Longest first, so that a value containing another is replaced whole.
	sorted := make([]string, 0, len(forms))
	for form := range forms {
		sorted = append(sorted, form)
	}
	sort.Slice(sorted, func(i, j int) bool {
		if len(sorted[i]) != len(sorted[j]) {
			return len(sorted[i]) > len(sorted[j])
		}
		return sorted[i] < sorted[j]
	})
	pairs := make([]string, 0, 2*len(sorted))
	for _, form := range sorted {
		pairs = append(pairs, form, Marker)
	}
	return &Scrubber{replacer: strings.NewReplacer(pairs...)}
}

// Scrub returns text with every secret value replaced by Marker.
func (s *Scrubber) Scrub(text string) string {
	if s == nil || s.replacer == nil {
		return text
	}
	return s.replacer.Replace(text)
}

// jsonEscaped returns v as encoding/json writes it inside a string literal.
func jsonEscaped(v string) string {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	return string(b[1 : len(b)-1])
}

// wireEscaped returns v as jsonwire writes it inside a string literal.
func wireEscaped(v string) string {
	b := jsonwire.AppendString(nil, v)
	return string(b[1 : len(b)-1])
}

// MayHold reports whether text may hold one of values in a form a Scrubber
// made from them removes. It is false when text contains none of the values
// of at least MinScrubLength bytes as it is and no backslash: every escaped
// form a Scrubber knows differs from the value only by its backslash
// escapes. It lets a caller skip building a Scrubber for text with nothing
// to remove.
func MayHold(text string, values ...string) bool {
	if strings.IndexByte(text, '\\') >= 0 {
		return true
	}
	for _, v := range values {
		if len(v) >= MinScrubLength && strings.Contains(text, v) {
			return true
		}
	}
	return false
}
