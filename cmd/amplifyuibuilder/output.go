package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	jmespath "github.com/jmespath/go-jmespath"
	"go.yaml.in/yaml/v3"

	"github.com/uibuilder-go/amplifyuibuilder/internal/model"
)

// outputFormats are the values of --output, as in the AWS CLI.
var outputFormats = []string{"json", "text", "table", "yaml", "yaml-stream"}

// result is an operation's output by wire member name, without the members
// the response did not carry. Numbers are float64, as JSON decodes them, so
// that a JMESPath query compares them.
type result map[string]any

// outputResult builds a result from an output's *string and *int32 members,
// given in the order of shape's members, leaving out nil ones.
func outputResult(shape *model.Structure, values ...any) result {
	if len(values) != len(shape.Members) {
		panic("outputResult: " + shape.Name + " has " + strconv.Itoa(len(shape.Members)) + " members, not " + strconv.Itoa(len(values)))
	}
	r := result{}
	for i, m := range shape.Members {
		switch v := values[i].(type) {
		case *string:
			if v != nil {
				r[m.Name] = *v
			}
		case *int32:
			if v != nil {
				r[m.Name] = float64(*v)
			}
		}
	}
	return r
}

// query is a compiled --query expression.
type query struct {
	expression string
	compiled   *jmespath.JMESPath
	orders     keyOrders
}

// compileQuery parses a --query expression, so that a bad one is reported
// before anything is sent.
func compileQuery(expression string) (*query, error) {
	compiled, err := jmespath.Compile(expression)
	if err != nil {
		return nil, fmt.Errorf("Bad value for --query %s: Invalid jmespath expression: %v", expression, err)
	}
	return &query{expression: expression, compiled: compiled, orders: multiselectKeyOrders(expression)}, nil
}

// keyOrders returns the key orders of the query's multiselect hashes.
func (q *query) keyOrders() keyOrders {
	if q == nil {
		return nil
	}
	return q.orders
}

// apply returns what the query selects from r; without a query, r itself.
func (q *query) apply(r result) (any, error) {
	if q == nil {
		return map[string]any(r), nil
	}
	v, err := q.compiled.Search(map[string]any(r))
	if err != nil {
		return nil, fmt.Errorf("Bad value for --query %s: %v", q.expression, err)
	}
	return v, nil
}

// writeOutput prints v in format, as the AWS CLI prints a response; title is
// the operation's name, the title of a table, and orders the key orders of
// the query that made v, for JSON.
func writeOutput(w io.Writer, format, title string, v any, orders keyOrders) error {
	var b bytes.Buffer
	var err error
	switch format {
	case "text":
		writeText(&b, v)
	case "table":
		err = writeTable(&b, title, v)
	case "yaml":
		err = writeYAML(&b, v)
	case "yaml-stream":
		if !isEmptyObject(v) {
			err = writeYAML(&b, []any{v})
		}
	default:
		err = writeJSON(&b, v, orders)
	}
	if err != nil {
		return err
	}
	_, err = w.Write(b.Bytes())
	return err
}

// isEmptyObject is the AWS CLI's test for printing nothing at all.
func isEmptyObject(v any) bool {
	m, ok := v.(map[string]any)
	return ok && len(m) == 0
}

// writeJSON prints v as the AWS CLI's JSON output does: indented by four
// spaces, non-ASCII characters as they are, an object's keys in the order
// orders gives them, and an empty object as nothing.
func writeJSON(w *bytes.Buffer, v any, orders keyOrders) error {
	if isEmptyObject(v) {
		return nil
	}
	if err := writeJSONValue(w, v, orders, "\n"); err != nil {
		return err
	}
	w.WriteString("\n")
	return nil
}

// writeJSONValue writes v; newline is the line break and the indentation of
// the lines v is on.
func writeJSONValue(w *bytes.Buffer, v any, orders keyOrders, newline string) error {
	const indent = "    "
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 0 {
			w.WriteString("{}")
			return nil
		}
		w.WriteString("{")
		for i, k := range orders.order(v) {
			if i > 0 {
				w.WriteString(",")
			}
			w.WriteString(newline + indent)
			if err := writeJSONScalar(w, k); err != nil {
				return err
			}
			w.WriteString(": ")
			if err := writeJSONValue(w, v[k], orders, newline+indent); err != nil {
				return err
			}
		}
		w.WriteString(newline + "}")
	case []any:
		if len(v) == 0 {
			w.WriteString("[]")
			return nil
		}
		w.WriteString("[")
		for i, e := range v {
			if i > 0 {
				w.WriteString(",")
			}
			w.WriteString(newline + indent)
			if err := writeJSONValue(w, e, orders, newline+indent); err != nil {
				return err
			}
		}
		w.WriteString(newline + "]")
	default:
		return writeJSONScalar(w, v)
	}
	return nil
}

func writeJSONScalar(w *bytes.Buffer, v any) error {
	if f, ok := v.(float64); ok {
		w.WriteString(formatJSONNumber(f))
		return nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	w.Write(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
	return nil
}

// formatJSONNumber prints a number as Python's json module does: whole
// numbers as integers (they were integers on the wire), others in the
// shortest form that reads back the same.
func formatJSONNumber(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return "null"
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e16 {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	b, _ := json.Marshal(f)
	return string(b)
}

// writeYAML prints v as the AWS CLI's YAML dumper does: block style, keys in
// sorted order, sequences not indented under their key, strings quoted with
// ' only where a plain one would read as something else; a scalar alone is
// printed as JSON, and an empty object as nothing.
func writeYAML(w *bytes.Buffer, v any) error {
	if isEmptyObject(v) {
		return nil
	}
	switch v.(type) {
	case map[string]any, []any:
	default:
		return writeJSON(w, v, nil)
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	enc.CompactSeqIndent()
	if err := enc.Encode(yamlNode(v)); err != nil {
		return err
	}
	return enc.Close()
}

func yamlNode(v any) *yaml.Node {
	switch v := v.(type) {
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		if len(v) == 0 {
			n.Style = yaml.FlowStyle
		}
		for _, k := range slices.Sorted(maps.Keys(v)) {
			n.Content = append(n.Content, yamlString(k), yamlNode(v[k]))
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		if len(v) == 0 {
			n.Style = yaml.FlowStyle
		}
		for _, e := range v {
			n.Content = append(n.Content, yamlNode(e))
		}
		return n
	case string:
		return yamlString(v)
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(v)}
	case float64:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: numberTag(v), Value: formatNumber(v)}
	}
	return yamlString(fmt.Sprint(v))
}

// yamlString is a string scalar, quoted with ' where the plain form would
// not read back as the same string.
func yamlString(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	var back any
	plain, err := yaml.Marshal(&yaml.Node{Kind: yaml.ScalarNode, Value: s})
	if err != nil || yaml.Unmarshal(plain, &back) != nil || back != s || strings.ContainsAny(string(plain[:1]), `"'|>`) {
		n.Style = yaml.SingleQuotedStyle
	}
	return n
}

func numberTag(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e16 {
		return "!!int"
	}
	return "!!float"
}

// formatNumber prints a JSON number as Python prints one: whole numbers
// without a fraction.
func formatNumber(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e16 {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// pyString is how the AWS CLI's text and table output print a value: as
// Python's str() does (True, False, None, [1, 2], {'a': 1}).
func pyString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case nil:
		return "None"
	case bool:
		if v {
			return "True"
		}
		return "False"
	case float64:
		return formatNumber(v)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(v)) {
			parts = append(parts, pyRepr(k)+": "+pyRepr(v[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

func pyRepr(v any) string {
	if s, ok := v.(string); ok {
		return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
	}
	return pyString(v)
}

func isScalar(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return false
	}
	return true
}

// writeText prints v as the AWS CLI's text output does: an object's scalar
// values on one line, tab-separated, in the order of their keys, then each
// of its lists and objects, a list of scalars on one line prefixed by its key
// in capitals when it has one.
func writeText(w *bytes.Buffer, v any) {
	formatText(w, v, "", nil)
}

func formatText(w *bytes.Buffer, v any, identifier string, scalarKeys []string) {
	switch v := v.(type) {
	case map[string]any:
		formatTextObject(w, v, identifier, scalarKeys)
	case []any:
		formatTextList(w, v, identifier)
	default:
		w.WriteString(pyString(v) + "\n")
	}
}

func formatTextList(w *bytes.Buffer, list []any, identifier string) {
	if len(list) == 0 {
		return
	}
	if slices.ContainsFunc(list, func(e any) bool { _, ok := e.(map[string]any); return ok }) {
		keys := map[string]bool{}
		for _, e := range list {
			if m, ok := e.(map[string]any); ok {
				for k, v := range m {
					if isScalar(v) {
						keys[k] = true
					}
				}
			}
		}
		all := slices.Sorted(maps.Keys(keys))
		for _, e := range list {
			formatText(w, e, identifier, all)
		}
		return
	}
	var scalars, others []any
	for _, e := range list {
		if isScalar(e) {
			scalars = append(scalars, e)
		} else {
			others = append(others, e)
		}
	}
	if len(scalars) > 0 {
		if identifier != "" {
			for _, e := range scalars {
				w.WriteString(strings.ToUpper(identifier) + "\t" + pyString(e) + "\n")
			}
		} else {
			parts := make([]string, len(scalars))
			for i, e := range scalars {
				parts[i] = pyString(e)
			}
			w.WriteString(strings.Join(parts, "\t") + "\n")
		}
	}
	for _, e := range others {
		formatText(w, e, identifier, nil)
	}
}

func formatTextObject(w *bytes.Buffer, m map[string]any, identifier string, scalarKeys []string) {
	var scalars []string
	var others []string
	if scalarKeys == nil {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if isScalar(m[k]) {
				scalars = append(scalars, pyString(m[k]))
			} else {
				others = append(others, k)
			}
		}
	} else {
		for _, k := range scalarKeys {
			if v, ok := m[k]; ok {
				scalars = append(scalars, pyString(v))
			} else {
				scalars = append(scalars, "")
			}
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if !slices.Contains(scalarKeys, k) {
				others = append(others, k)
			}
		}
	}
	if len(scalars) > 0 {
		if identifier != "" {
			scalars = append([]string{strings.ToUpper(identifier)}, scalars...)
		}
		w.WriteString(strings.Join(scalars, "\t") + "\n")
	}
	for _, k := range others {
		formatText(w, m[k], k, nil)
	}
}
