package amplifyuibuilder

import (
	"fmt"

	smithy "github.com/aws/smithy-go"
)

// The error types of this package. The service's modeled errors are in
// package types; deserialize.go maps responses to them.

// ResponseTooLargeError reports a response body longer than
// Options.MaxResponseBodySize. The call read no further than the limit.
type ResponseTooLargeError struct {
	// Limit is the MaxResponseBodySize the body exceeded, in bytes.
	Limit int64
}

// Error states the limit; it quotes nothing of the body.
func (e *ResponseTooLargeError) Error() string {
	return fmt.Sprintf("response body exceeds the %d-byte limit", e.Limit)
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
