// Package model describes the token operations once: their HTTP binding,
// their members, which members are required and which are secrets, and the
// service model's descriptions of them. The client validates, serializes,
// redacts and prints from this description; the CLI takes its command
// names, parameters, skeletons, help and redaction from it, and the local
// test server its routes, member checks and answers.
//
// The description is plain data. The code that owns a Go shape binds its
// fields to the members, in the order the description lists them; the
// tests of each user walk Operations, so that a member added here and not
// bound there fails them.
package model

import (
	"fmt"
	"sort"

	"github.com/uibuilder-go/amplifyuibuilder/internal/redact"
)

// Type is the JSON type of a member.
type Type int

// The member types of the token operations.
const (
	String Type = iota // a JSON string, *string in Go
	Int32              // a JSON integer that fits in int32, *int32 in Go
)

// Member is one member of a structure.
type Member struct {
	Name      string // the JSON key: "code"
	GoName    string // the Go field: "Code"
	Type      Type
	Required  bool
	Sensitive bool   // a secret: never printed, logged or echoed
	Doc       string // the service model's description, as the CLI prints it
}

// Structure is a JSON object shape.
type Structure struct {
	Name    string   // the Go type: "ExchangeCodeForTokenRequestBody"
	Members []Member // in the order of the Go type's fields

	// wireOrder lists the indexes of Members in JSON key order, the order in
	// which the aws-sdk-go-v2 client writes them.
	wireOrder []int
}

// MaxMembers is the most members any structure here has, so that values
// bound to a structure fit in a fixed array.
const MaxMembers = 3

// WireOrder returns the indexes of s.Members in the order their keys are
// written on the wire: sorted by JSON key.
func (s *Structure) WireOrder() []int { return s.wireOrder }

// Operation is one API operation and its HTTP binding: Method
// PathPrefix{label}PathSuffix, with the payload structure as the whole JSON
// body.
type Operation struct {
	Name       string // "ExchangeCodeForToken"
	Method     string // "POST"
	PathPrefix string // "/tokens/", before the label
	PathSuffix string // "" or "/refresh", after the label

	Input        string // the input's Go type: "ExchangeCodeForTokenInput"
	LabelField   string // the input member bound to the URI label: "Provider"
	PayloadField string // the input member that is the whole body: "Request"

	Payload    *Structure // the request body
	PayloadDoc string     // the service model's description of the payload member
	Output     *Structure // the response body
}

const clientIDDoc = "The ID of the client to request the token from."

// The structures.
var (
	ExchangeCodeForTokenRequestBody = newStructure("ExchangeCodeForTokenRequestBody",
		Member{Name: "code", GoName: "Code", Required: true, Sensitive: true,
			Doc: "The access code to send in the request."},
		Member{Name: "redirectUri", GoName: "RedirectUri", Required: true,
			Doc: "The location of the application that will receive the access code."},
		Member{Name: "clientId", GoName: "ClientId", Sensitive: true, Doc: clientIDDoc},
	)
	RefreshTokenRequestBody = newStructure("RefreshTokenRequestBody",
		Member{Name: "token", GoName: "Token", Required: true, Sensitive: true,
			Doc: "The token to use to refresh a previously issued access token that might have expired."},
		Member{Name: "clientId", GoName: "ClientId", Sensitive: true, Doc: clientIDDoc},
	)
	ExchangeCodeForTokenOutput = newStructure("ExchangeCodeForTokenOutput",
		Member{Name: "accessToken", GoName: "AccessToken", Sensitive: true},
		Member{Name: "expiresIn", GoName: "ExpiresIn", Type: Int32},
		Member{Name: "refreshToken", GoName: "RefreshToken", Sensitive: true},
	)
	RefreshTokenOutput = newStructure("RefreshTokenOutput",
		Member{Name: "accessToken", GoName: "AccessToken", Sensitive: true},
		Member{Name: "expiresIn", GoName: "ExpiresIn", Type: Int32},
	)
)

// The operations.
var (
	ExchangeCodeForToken = &Operation{
		Name: "ExchangeCodeForToken", Method: "POST", PathPrefix: "/tokens/",
		Input: "ExchangeCodeForTokenInput", LabelField: "Provider", PayloadField: "Request",
		Payload: ExchangeCodeForTokenRequestBody, PayloadDoc: "Describes the configuration of the request.",
		Output: ExchangeCodeForTokenOutput,
	}
	RefreshToken = &Operation{
		Name: "RefreshToken", Method: "POST", PathPrefix: "/tokens/", PathSuffix: "/refresh",
		Input: "RefreshTokenInput", LabelField: "Provider", PayloadField: "RefreshTokenBody",
		Payload: RefreshTokenRequestBody, PayloadDoc: "Information about the refresh token request.",
		Output: RefreshTokenOutput,
	}
)

// Operations lists every operation.
var Operations = []*Operation{ExchangeCodeForToken, RefreshToken}

// SensitiveNames returns the JSON keys that are secrets in any request or
// response body of any operation.
func SensitiveNames() map[string]bool {
	names := map[string]bool{}
	for _, op := range Operations {
		for _, s := range []*Structure{op.Payload, op.Output} {
			for _, m := range s.Members {
				if m.Sensitive {
					names[m.Name] = true
				}
			}
		}
	}
	return names
}

// Member returns the member of s whose JSON key is name.
func (s *Structure) Member(name string) (Member, bool) {
	for _, m := range s.Members {
		if m.Name == name {
			return m, true
		}
	}
	return Member{}, false
}

func newStructure(name string, members ...Member) *Structure {
	if len(members) > MaxMembers {
		panic("model: " + name + " has more than MaxMembers members")
	}
	s := &Structure{Name: name, Members: members}
	for i := range members {
		s.wireOrder = append(s.wireOrder, i)
	}
	sort.Slice(s.wireOrder, func(a, b int) bool {
		return members[s.wireOrder[a]].Name < members[s.wireOrder[b]].Name
	})
	return s
}

// FormatValues prints a value of s, named typeName, with fmt: values are its Go
// fields in the order of s.Members, and each sensitive member that is set
// prints as redact.Marker, for every verb and flag.
func (s *Structure) FormatValues(f fmt.State, verb rune, typeName string, values ...any) {
	fields := make([]redact.Field, len(s.Members))
	for i, m := range s.Members {
		fields[i] = redact.Field{Name: m.GoName, Value: values[i], Secret: m.Sensitive}
	}
	redact.Format(f, verb, typeName, fields...)
}

// FormatInput prints an input of op, named typeName, with fmt: its label
// member and its payload member, which formats itself.
func (op *Operation) FormatInput(f fmt.State, verb rune, typeName string, label, payload any) {
	redact.Format(f, verb, typeName,
		redact.Field{Name: op.LabelField, Value: label},
		redact.Field{Name: op.PayloadField, Value: payload},
	)
}
