package amplifyuibuilder

import (
	"errors"
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

// scrubbedError is an error whose text held a secret of the call, with that
// secret removed: Error and every fmt verb give the scrubbed text, never the
// original's. It still answers for the original: errors.Is and errors.As
// reach every error the original wraps (*url.Error, net.Error, context
// errors, ...), Timeout and Temporary answer as the original does (so a
// *url.Error wrapping it still reports a timeout), and Unwrap returns the
// next error of the original's chain, scrubbed the same way, so that walking
// the chain never meets the secret either.
type scrubbedError struct {
	err   error               // the original
	text  string              // err.Error(), scrubbed
	scrub func(string) string // the call's scrubber, for what Unwrap returns
}

func newScrubbedError(err error, scrub func(string) string) *scrubbedError {
	return &scrubbedError{err: err, text: scrub(err.Error()), scrub: scrub}
}

func (e *scrubbedError) Error() string { return e.text }

// Unwrap returns the error the original wraps, scrubbed. An original that
// wraps several errors (errors.Join) unwraps to nothing here; errors.Is and
// errors.As still reach each of them through Is and As.
func (e *scrubbedError) Unwrap() error {
	next := errors.Unwrap(e.err)
	if next == nil {
		return nil
	}
	return newScrubbedError(next, e.scrub)
}

// Is reports whether the original is, or wraps, target.
func (e *scrubbedError) Is(target error) bool { return errors.Is(e.err, target) }

// As finds target in the original's chain.
func (e *scrubbedError) As(target any) bool { return errors.As(e.err, target) }

// Timeout reports whether the original is a timeout, as net.Error does.
func (e *scrubbedError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.err, &t) && t.Timeout()
}

// Temporary reports whether the original is temporary, as net.Error does.
func (e *scrubbedError) Temporary() bool {
	var t interface{ Temporary() bool }
	return errors.As(e.err, &t) && t.Temporary()
}

// Format prints the scrubbed text with any verb and flags; %#v prints it in
// Go syntax, never the original's fields.
func (e *scrubbedError) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprintf(f, "&amplifyuibuilder.scrubbedError{text:%q}", e.text)
		return
	}
	if verb == 'v' {
		verb = 's'
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), e.text)
}
