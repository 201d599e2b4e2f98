package amplifyuibuilder

import (
	"context"

	smithy "github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
)

// The initialize step: the input is checked against its operation's
// description before anything is built or sent.

// validateInput rejects an input with missing required members.
type validateInput struct{ op *operation }

func (*validateInput) ID() string { return "OperationInputValidation" }

func (m *validateInput) HandleInitialize(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (
	middleware.InitializeOutput, middleware.Metadata, error,
) {
	if err := validate(m.op, m.op.bind(in.Parameters)); err != nil {
		return middleware.InitializeOutput{}, middleware.Metadata{}, err
	}
	return next.HandleInitialize(ctx, in)
}

// validate reports every missing required member of an input, each by its
// path from the input ("ExchangeCodeForTokenInput.Request.Code"), as the
// aws-sdk-go-v2 validators do.
func validate(op *operation, in boundInput) error {
	d := op.model
	p := newInvalidParams(d.Input)
	p.required(in.label == "", d.LabelField)
	p.required(!in.hasPayload, d.PayloadField)
	if in.hasPayload {
		body := newInvalidParams(d.Payload.Name)
		for i, m := range d.Payload.Members {
			body.required(m.Required && in.members[i] == nil, m.GoName)
		}
		p.nested(d.PayloadField, body)
	}
	return p.err()
}

// invalidParams collects the missing required members of one input.
type invalidParams struct {
	smithy.InvalidParamsError
}

func newInvalidParams(inputName string) *invalidParams {
	return &invalidParams{smithy.InvalidParamsError{Context: inputName}}
}

// required records field as missing when missing is true.
func (p *invalidParams) required(missing bool, field string) {
	if missing {
		p.Add(smithy.NewErrParamRequired(field))
	}
}

// nested records the missing members of a nested structure under its name.
func (p *invalidParams) nested(field string, nested *invalidParams) {
	if nested.Len() > 0 {
		p.AddNested(field, nested.InvalidParamsError)
	}
}

// err returns the collected errors, or nil when nothing is missing.
func (p *invalidParams) err() error {
	if p.Len() == 0 {
		return nil
	}
	return &validationError{p.InvalidParamsError}
}
