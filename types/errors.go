package types

import (
	"fmt"

	smithy "github.com/aws/smithy-go"
)

// InvalidParameterException is the service's answer to a request it rejects:
// an unknown provider, a malformed body, or an authorization code that is
// unknown, expired or already used. It is a client fault: sending the same
// request again gives the same answer.
type InvalidParameterException struct {
	// Message is the service's explanation, or nil when it sent none.
	Message *string

	// ErrorCodeOverride, when set, is returned by ErrorCode in place of
	// "InvalidParameterException".
	ErrorCodeOverride *string

	noSmithyDocumentSerde
}

// Error returns "<code>: <message>", the form every aws-sdk-go-v2 API error has.
func (e *InvalidParameterException) Error() string {
	return fmt.Sprintf("%s: %s", e.ErrorCode(), e.ErrorMessage())
}

// ErrorMessage returns the service's message, or "" when it sent none.
func (e *InvalidParameterException) ErrorMessage() string {
	if e.Message == nil {
		return ""
	}
	return *e.Message
}

// ErrorCode returns "InvalidParameterException" unless ErrorCodeOverride is set.
func (e *InvalidParameterException) ErrorCode() string {
	if e == nil || e.ErrorCodeOverride == nil {
		return "InvalidParameterException"
	}
	return *e.ErrorCodeOverride
}

// ErrorFault reports that the caller, not the service, is at fault.
func (e *InvalidParameterException) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }
