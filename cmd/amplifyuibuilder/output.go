package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// result is an operation's output by wire member name, without the members
// the response did not carry.
type result map[string]any

// members builds a result from an output's *string and *int32 members,
// leaving out nil ones.
func members(fields map[string]any) result {
	r := result{}
	for name, v := range fields {
		switch v := v.(type) {
		case *string:
			if v != nil {
				r[name] = *v
			}
		case *int32:
			if v != nil {
				r[name] = *v
			}
		}
	}
	return r
}

// write prints r as the AWS CLI does: json is the object indented by four
// spaces; text is the values on one line, tab-separated, in the order of
// their names. Both print members in name order, which for these
// operations is also the model's order. An empty result prints nothing.
func (r result) write(w io.Writer, format string) error {
	if len(r) == 0 {
		return nil
	}
	if format == "text" {
		var values []string
		for _, name := range slices.Sorted(maps.Keys(r)) {
			values = append(values, fmt.Sprint(r[name]))
		}
		_, err := fmt.Fprintln(w, strings.Join(values, "\t"))
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "    ")
	return enc.Encode(map[string]any(r))
}
