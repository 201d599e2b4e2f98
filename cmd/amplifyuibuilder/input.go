package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/uibuilder-go/amplifyuibuilder/internal/model"
)

// skeletonChoices are the values of --generate-cli-skeleton, as in the AWS
// CLI; the flag alone means input.
var skeletonChoices = []string{"input", "output", "yaml-input"}

// cliInput is the document of --cli-input-json or --cli-input-yaml: the
// operation's parameters by their model names.
type cliInput struct {
	values map[string]any
}

// readCLIInput decodes the one --cli-input-json or --cli-input-yaml given,
// from its value or from file://PATH. It returns nil when neither was.
func readCLIInput(jsonValue, yamlValue string) (*cliInput, error) {
	if jsonValue != "" && yamlValue != "" {
		return nil, errors.New("Only one --cli-input- parameter may be specified.")
	}
	flag, value := "--cli-input-json", jsonValue
	if yamlValue != "" {
		flag, value = "--cli-input-yaml", yamlValue
	}
	if value == "" {
		return nil, nil
	}
	if path, ok := strings.CutPrefix(value, "file://"); ok {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("Error parsing parameter '%s': Unable to load paramfile %s: %v", flag, value, err)
		}
		value = string(data)
	}
	var doc any
	var err error
	if flag == "--cli-input-json" {
		err = json.Unmarshal([]byte(value), &doc)
	} else {
		err = yaml.Unmarshal([]byte(value), &doc)
	}
	if err != nil {
		// The decoder's message can quote the document: say only where.
		return nil, fmt.Errorf("Error parsing parameter '%s': Invalid %s: %s", flag, strings.ToUpper(strings.TrimPrefix(flag, "--cli-input-")), decodeErrorPosition(err))
	}
	values, ok := doc.(map[string]any)
	if !ok && doc != nil {
		return nil, fmt.Errorf("Error parsing parameter '%s': Invalid type: expecting an object, received %s", flag, jsonKind(doc))
	}
	return &cliInput{values: values}, nil
}

// decodeErrorPosition describes a JSON or YAML syntax error without quoting
// the document, which may hold a secret.
func decodeErrorPosition(err error) string {
	var syntaxErr *json.SyntaxError
	var typeErr *yaml.TypeError
	switch {
	case errors.As(err, &syntaxErr):
		return fmt.Sprintf("syntax error at byte %d", syntaxErr.Offset)
	case errors.As(err, &typeErr):
		return "not a document of parameters"
	}
	if msg := err.Error(); strings.HasPrefix(msg, "yaml: line ") {
		line, _, _ := strings.Cut(strings.TrimPrefix(msg, "yaml: "), ":")
		return "syntax error at " + line
	}
	return "syntax error"
}

// orderedObject is a JSON object that keeps its members in order, for
// skeletons, which list members in the model's order as the AWS CLI does.
type orderedObject []objectMember

type objectMember struct {
	name  string
	value any
}

func (o orderedObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(m.name)
		value, err := json.Marshal(m.value)
		if err != nil {
			return nil, err
		}
		b.Write(name)
		b.WriteByte(':')
		b.Write(value)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// inputSkeleton is what --generate-cli-skeleton input prints: every
// parameter, with the provider's only value and empty strings.
func (c operationCommand) inputSkeleton() string {
	body := orderedObject{}
	for _, name := range c.body.members {
		body = append(body, objectMember{name, ""})
	}
	data, _ := json.MarshalIndent(orderedObject{{"provider", "figma"}, {c.body.name, body}}, "", "    ")
	return string(data) + "\n"
}

// yamlInputSkeleton is what --generate-cli-skeleton yaml-input prints: the
// same parameters, each with the model's description in a comment.
func (c operationCommand) yamlInputSkeleton() string {
	var b strings.Builder
	fmt.Fprintf(&b, "provider: figma  # [REQUIRED] The third-party provider for the token. Valid values are: figma.\n")
	fmt.Fprintf(&b, "%s: # [REQUIRED] %s\n", c.body.name, c.model.PayloadDoc)
	for _, m := range c.model.Payload.Members {
		doc := m.Doc
		if m.Required {
			doc = "[REQUIRED] " + doc
		}
		fmt.Fprintf(&b, "  %s: ''  # %s\n", m.Name, doc)
	}
	return b.String()
}

// outputSkeleton is what --generate-cli-skeleton output prints, through
// --output and --query like an answer: each member's name as its string
// value, and 0 for numbers.
func (c operationCommand) outputSkeleton() result {
	r := result{}
	for _, m := range c.model.Output.Members {
		if m.Type == model.Int32 {
			r[m.Name] = float64(0)
		} else {
			r[m.Name] = m.Name
		}
	}
	return r
}
