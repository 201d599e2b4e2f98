package amplifyuibuilder

import (
	smithy "github.com/aws/smithy-go"
)

// invalidParams collects the missing required members of one input, each
// named by its path from the input ("ExchangeCodeForTokenInput.Request.Code").
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

// validationError is the error a call returns for an invalid input. It
// unwraps to the smithy.InvalidParamsError value that aws-sdk-go-v2 clients
// return, so errors.As finds it both as smithy.InvalidParamsError and as
// *smithy.InvalidParamsError.
type validationError struct {
	params smithy.InvalidParamsError
}

func (e *validationError) Error() string { return e.params.Error() }

// Unwrap returns the smithy.InvalidParamsError value.
func (e *validationError) Unwrap() error { return e.params }

// As lets errors.As find the pointer form too.
func (e *validationError) As(target any) bool {
	if p, ok := target.(**smithy.InvalidParamsError); ok {
		params := e.params
		*p = &params
		return true
	}
	return false
}
