package main

import (
	"slices"
	"strings"
)

// keyOrders are the key lists of the multiselect hashes ({a: x, b: y}) of a
// --query expression, in the order written. The AWS CLI prints JSON objects
// in the order their keys were made, which for a multiselect is the order
// written; Go maps have none, so an object printed as JSON whose keys are
// exactly one of these lists takes that order, and any other is sorted (the
// order of the service's members, which the model lists sorted).
type keyOrders [][]string

// multiselectKeyOrders scans expression for its multiselect hashes. It skips
// quoted identifiers, raw strings and JSON literals, whose braces are data.
func multiselectKeyOrders(expression string) keyOrders {
	var orders keyOrders
	var stack []*[]string // the hashes being read, innermost last
	var brackets []byte   // the open '{', '[' and '(' around the position
	keyStart := -1        // where the current hash's next key starts
	for i := 0; i < len(expression); i++ {
		c := expression[i]
		switch c {
		case '"', '\'', '`':
			end := closingQuote(expression, i)
			if keyStart >= 0 && c == '"' && len(brackets) > 0 && brackets[len(brackets)-1] == '{' {
				// A quoted key: keep it whole.
				i = end
				continue
			}
			i = end
		case '{':
			brackets = append(brackets, c)
			keys := []string{}
			stack = append(stack, &keys)
			keyStart = i + 1
		case '[', '(':
			brackets = append(brackets, c)
		case ']', ')':
			if len(brackets) > 0 {
				brackets = brackets[:len(brackets)-1]
			}
		case '}':
			if len(brackets) > 0 {
				brackets = brackets[:len(brackets)-1]
			}
			if len(stack) > 0 {
				orders = append(orders, *stack[len(stack)-1])
				stack = stack[:len(stack)-1]
			}
			keyStart = -1
		case ':':
			if keyStart >= 0 && len(stack) > 0 && len(brackets) > 0 && brackets[len(brackets)-1] == '{' {
				key := strings.TrimSpace(expression[keyStart:i])
				if unquoted, ok := strings.CutPrefix(key, `"`); ok {
					key = strings.TrimSuffix(unquoted, `"`)
				}
				*stack[len(stack)-1] = append(*stack[len(stack)-1], key)
				keyStart = -1
			}
		case ',':
			if len(brackets) > 0 && brackets[len(brackets)-1] == '{' {
				keyStart = i + 1
			}
		}
	}
	return orders
}

// closingQuote returns the index of the quote that closes the one at start,
// or the end of s.
func closingQuote(s string, start int) int {
	quote := s[start]
	for i := start + 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case quote:
			return i
		}
	}
	return len(s) - 1
}

// order returns the keys of m in the order to print them.
func (o keyOrders) order(m map[string]any) []string {
	for _, keys := range o {
		if len(keys) == len(m) && !slices.ContainsFunc(keys, func(k string) bool { _, ok := m[k]; return !ok }) {
			return keys
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
