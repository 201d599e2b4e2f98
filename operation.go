package amplifyuibuilder

import (
	"github.com/uibuilder-go/amplifyuibuilder/internal/model"
)

// operation is what the generic pipeline needs of one API operation: its
// description (internal/model), which says what is sent, what is required and
// what is secret, and the two bindings between that description and the Go
// shapes of this package.
type operation struct {
	id       int
	model    *model.Operation
	spanName string // ServiceID + "." + name, the operation's span

	// bind reads an input as the description lists it. Validation and
	// serialization each call it: it only reads, and an initialize
	// middleware that changes the input after validation is serialized as
	// changed.
	bind func(input any) boundInput

	// deserialize decodes a 2xx response body into a new output.
	deserialize func(body string) (any, error)

	// knownPaths are the request paths of the known providers, by label.
	knownPaths map[string]string
}

// name is the operation's name: "ExchangeCodeForToken".
func (op *operation) name() string { return op.model.Name }

// boundInput is one input, read through its operation's description.
type boundInput struct {
	label      string // the URI label's value
	hasPayload bool   // whether the payload member is set
	// members are the payload's members, in the order of
	// model.Payload.Members; nil when unset.
	members [model.MaxMembers]*string
}

// The operations, indexed by their id.
const (
	opExchangeCodeForToken = iota
	opRefreshToken
	operationCount
)

var operations = [operationCount]*operation{
	opExchangeCodeForToken: exchangeCodeForTokenOperation,
	opRefreshToken:         refreshTokenOperation,
}
