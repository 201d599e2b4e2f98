package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"unicode"

	"github.com/uibuilder-go/amplifyuibuilder/internal/model"
)

// structureParam is a parameter whose value is a structure of string
// members, given as the AWS CLI takes one: shorthand (name=value,name=value),
// JSON ({"name":"value"}), or file://PATH holding either; or as a member of
// --cli-input-json or --cli-input-yaml.
type structureParam struct {
	flag    string           // the flag's name, without dashes
	name    string           // the parameter's name in the model and in --cli-input-json
	shape   *model.Structure // the structure's description
	members []string         // the members' wire names, in the model's order
}

// newStructureParam returns the parameter --flag, named name, whose value is
// a shape.
func newStructureParam(flag, name string, shape *model.Structure) structureParam {
	p := structureParam{flag: flag, name: name, shape: shape}
	for _, m := range shape.Members {
		p.members = append(p.members, m.Name)
	}
	return p
}

// synopsis shows the parameter's members in shorthand, the optional ones in
// brackets: "code=CODE,redirectUri=URI[,clientId=ID]".
func (p structureParam) synopsis() string {
	var b strings.Builder
	for i, m := range p.shape.Members {
		member := m.Name + "=" + placeholder(m.Name)
		if i > 0 {
			member = "," + member
		}
		if !m.Required {
			member = "[" + member + "]"
		}
		b.WriteString(member)
	}
	return b.String()
}

// placeholder stands for a member's value in a synopsis: the last word of
// its name, in capitals ("redirectUri" is URI).
func placeholder(name string) string {
	last := strings.LastIndexFunc(name, unicode.IsUpper)
	return strings.ToUpper(name[max(last, 0):])
}

// values returns the members of a parsed body in the order of the
// structure's members, nil where absent.
func (p structureParam) values(members map[string]string) []*string {
	values := make([]*string, len(p.members))
	for i, name := range p.members {
		if v, ok := members[name]; ok {
			values[i] = &v
		}
	}
	return values
}

// parse returns the members value sets, by name. An error explains what is
// wrong without repeating the values, which may be secrets.
func (p structureParam) parse(value string) (map[string]string, error) {
	if path, ok := strings.CutPrefix(value, "file://"); ok {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, p.errorf("Unable to load paramfile %s: %v", value, err)
		}
		value = string(data)
	}
	value = strings.TrimSpace(value)
	if strings.HasPrefix(value, "{") || strings.HasPrefix(value, "[") {
		return p.parseJSON(value)
	}
	return p.parseShorthand(value)
}

func (p structureParam) errorf(format string, args ...any) error {
	return fmt.Errorf("Error parsing parameter '--%s': %s", p.flag, fmt.Sprintf(format, args...))
}

// check accepts a member name the structure has, once.
func (p structureParam) check(members map[string]string, name string) error {
	if !slices.Contains(p.members, name) {
		return fmt.Errorf("Unknown parameter in %s: %q, must be one of: %s", p.name, name, strings.Join(p.members, ", "))
	}
	if _, given := members[name]; given {
		return p.errorf("member %s is given twice", name)
	}
	return nil
}

func (p structureParam) parseJSON(value string) (map[string]string, error) {
	var v any
	if err := json.Unmarshal([]byte(value), &v); err != nil {
		return nil, p.errorf("Invalid JSON: %v", err)
	}
	object, ok := v.(map[string]any)
	if !ok {
		return nil, p.errorf("Invalid JSON: expected an object ({\"name\": \"value\", ...}), received %s", jsonKind(v))
	}
	return p.fromObject(object)
}

// fromObject takes the members of a decoded JSON or YAML object, each a
// string.
func (p structureParam) fromObject(object map[string]any) (map[string]string, error) {
	members := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(object)) {
		if err := p.check(members, name); err != nil {
			return nil, err
		}
		s, ok := object[name].(string)
		if !ok {
			return nil, fmt.Errorf("Invalid type for parameter %s.%s: must be a string", p.name, name)
		}
		members[name] = s
	}
	return members, nil
}

// jsonKind names the kind of a decoded JSON value, for errors that must not
// quote it.
func jsonKind(v any) string {
	switch v.(type) {
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	case string:
		return "a string"
	case float64, int, int64, uint64:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

// parseShorthand reads name=value pairs separated by commas, with the AWS
// CLI's rules for scalar values: a value runs to the next comma and may
// contain '='; a comma inside a value is written \, or the value is quoted
// with ' or ", in which \ escapes the quote and \\ a backslash. Lists and
// nested structures ([...], {...}) are not members of these parameters.
func (p structureParam) parseShorthand(value string) (map[string]string, error) {
	s := shorthand{text: value}
	members := map[string]string{}
	for {
		name, err := s.name()
		if err != nil {
			return nil, p.errorf("%v", err)
		}
		if err := p.check(members, name); err != nil {
			return nil, err
		}
		v, err := s.value()
		if err != nil {
			return nil, p.errorf("member %s: %v", name, err)
		}
		members[name] = v
		if s.done() {
			return members, nil
		}
		s.pos++ // the comma
	}
}

// shorthand is a position in a shorthand string.
type shorthand struct {
	text string
	pos  int
}

func (s *shorthand) done() bool { return s.pos >= len(s.text) }

func (s *shorthand) skipSpaces() {
	for !s.done() && (s.text[s.pos] == ' ' || s.text[s.pos] == '\t' || s.text[s.pos] == '\n') {
		s.pos++
	}
}

// commaHint ends the errors that a comma inside a value causes.
const commaHint = "a value that contains a comma must be quoted ('a,b') or escaped (a\\,b), or the whole parameter given as JSON"

// name reads "name=" and returns the name.
func (s *shorthand) name() (string, error) {
	s.skipSpaces()
	start := s.pos
	for !s.done() && isNameByte(s.text[s.pos]) {
		s.pos++
	}
	name := s.text[start:s.pos]
	s.skipSpaces()
	switch {
	case name == "" && s.done() && start == 0:
		return "", fmt.Errorf("expected name=value, got an empty value")
	case name == "" && s.done():
		return "", fmt.Errorf("expected name=value after the last comma; %s", commaHint)
	case name == "":
		return "", fmt.Errorf("expected a member name at position %d", s.pos)
	case s.done() || s.text[s.pos] != '=':
		// The name is not quoted back: it may be a piece of a secret value.
		return "", fmt.Errorf("expected '=' after the member name ending at position %d; %s", s.pos, commaHint)
	}
	s.pos++
	return name, nil
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// value reads a value up to the next separating comma or the end.
func (s *shorthand) value() (string, error) {
	s.skipSpaces()
	if s.done() {
		return "", nil
	}
	switch c := s.text[s.pos]; c {
	case '\'', '"':
		return s.quoted(c)
	case '[', '{':
		return "", fmt.Errorf("lists and structures are not values here: give a plain value")
	}
	var b strings.Builder
	for !s.done() && s.text[s.pos] != ',' {
		if strings.HasPrefix(s.text[s.pos:], `\,`) {
			s.pos++
		}
		b.WriteByte(s.text[s.pos])
		s.pos++
	}
	return strings.TrimRight(b.String(), " \t\n"), nil
}

// quoted reads a value between quote characters.
func (s *shorthand) quoted(quote byte) (string, error) {
	s.pos++
	var b strings.Builder
	for {
		if s.done() {
			return "", fmt.Errorf("the quoted value has no closing %c", quote)
		}
		c := s.text[s.pos]
		if c == quote {
			break
		}
		if c == '\\' && s.pos+1 < len(s.text) && (s.text[s.pos+1] == quote || s.text[s.pos+1] == '\\') {
			s.pos++
			c = s.text[s.pos]
		}
		b.WriteByte(c)
		s.pos++
	}
	s.pos++
	s.skipSpaces()
	if !s.done() && s.text[s.pos] != ',' {
		return "", fmt.Errorf("expected ',' after the quoted value at position %d", s.pos)
	}
	return b.String(), nil
}
