package amplifyuibuilder

import (
	"fmt"

	"github.com/uibuilder-go/amplifyuibuilder/internal/httpbind"
	"github.com/uibuilder-go/amplifyuibuilder/internal/jsonwire"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// tokenRequest is what both token operations send, described once so that
// one piece of code validates and serializes both: POST
// /tokens/{provider}{pathSuffix} with a flat JSON object of string members
// as the whole body.
type tokenRequest struct {
	inputName  string // "ExchangeCodeForTokenInput", for validation errors
	pathSuffix string // after /tokens/{provider}
	provider   types.TokenProviders

	bodyField string // the input member that holds the body: "Request"
	bodyName  string // its type: "ExchangeCodeForTokenRequestBody"
	hasBody   bool   // whether that member is set
	members   [maxBodyMembers]bodyMember
}

// maxBodyMembers is the most members a token request body has. A fixed
// array keeps a described request off the heap.
const maxBodyMembers = 3

// bodyMember is one member of the JSON body, listed in name order: the order
// in which the aws-sdk-go-v2 client writes the keys.
type bodyMember struct {
	key      string  // the JSON key: "code"; "" ends the list
	field    string  // the Go field, for validation errors: "Code"
	value    *string // nil members are left out
	required bool
}

// validate reports every missing required member, each by its path from the
// input ("ExchangeCodeForTokenInput.Request.Code").
func (r *tokenRequest) validate() error {
	p := newInvalidParams(r.inputName)
	p.required(r.provider == "", "Provider")
	p.required(!r.hasBody, r.bodyField)
	if r.hasBody {
		body := newInvalidParams(r.bodyName)
		for _, m := range r.members {
			body.required(m.key != "" && m.required && m.value == nil, m.field)
		}
		p.nested(r.bodyField, body)
	}
	return p.err()
}

// path returns /tokens/{provider}{suffix}, unescaped and with the provider
// label escaped. An empty label is an error: it would send the request to
// /tokens/, another resource.
func (r *tokenRequest) path() (path, rawPath string, err error) {
	if r.provider == "" {
		return "", "", fmt.Errorf("input member Provider must not be empty")
	}
	label := string(r.provider)
	path = "/tokens/" + label + r.pathSuffix
	if escaped := httpbind.EscapeLabel(label); escaped != label {
		return path, "/tokens/" + escaped + r.pathSuffix, nil
	}
	return path, path, nil
}

// body returns the JSON body, in a buffer sized for it unless a value needs
// escaping.
func (r *tokenRequest) body() ([]byte, error) {
	if !r.hasBody {
		return nil, fmt.Errorf("input member %s must not be nil", r.bodyField)
	}
	size := 2
	for _, m := range r.members {
		if m.value != nil {
			size += len(m.key) + len(*m.value) + 6 // two quoted strings, ':' and ','
		}
	}
	w := jsonwire.NewObjectWriter(make([]byte, 0, size))
	for _, m := range r.members {
		if m.key != "" {
			w.String(m.key, m.value)
		}
	}
	return w.Close(), nil
}
