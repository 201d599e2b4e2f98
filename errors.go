package amplifyuibuilder

import (
	"strings"

	smithy "github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/uibuilder-go/amplifyuibuilder/internal/jsonwire"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// unknownError is the code of an error response that names no code. It is
// also the message of one that carries no message, as in aws-sdk-go-v2.
const unknownError = "UnknownError"

// errorFromResponse turns a non-2xx response into the error it describes: the
// modeled *types.InvalidParameterException, or a *smithy.GenericAPIError with
// the code and message the service sent. The caller's middleware wraps it
// with the status code and request id.
//
// Everything the server put in the error's text passes through scrub first,
// the request id headers too: a server or proxy that echoes the request back
// must not put the call's secrets into error messages, or into the log lines
// that print them.
func errorFromResponse(resp *smithyhttp.Response, body []byte, scrub func(string) string) error {
	for _, name := range requestIDHeaders {
		if id := resp.Header.Get(name); id != "" {
			resp.Header.Set(name, scrub(id))
		}
	}
	info, err := parseErrorBody(body)
	if err != nil {
		return &smithy.DeserializationError{Err: err}
	}
	code := info.code
	if header := resp.Header.Get("X-Amzn-Errortype"); header != "" {
		code = header
	}
	code = sanitizeErrorCode(scrub(code))
	if code == "" {
		code = unknownError
	}

	if info.message != nil {
		*info.message = scrub(*info.message)
	}
	if strings.EqualFold(code, "InvalidParameterException") {
		return &types.InvalidParameterException{Message: info.message}
	}
	message := unknownError
	if info.message != nil && *info.message != "" {
		message = *info.message
	}
	return &smithy.GenericAPIError{Code: code, Message: message}
}

// sanitizeErrorCode reduces an error code as it appears on the wire to its
// name: it keeps what is before the first ':' and then what is after the
// first '#'. Both "InvalidParameterException:http://internal.amazon.com/"
// and "com.amazonaws.amplifyuibuilder#InvalidParameterException" become
// "InvalidParameterException".
func sanitizeErrorCode(code string) string {
	if i := strings.IndexByte(code, ':'); i >= 0 {
		code = code[:i]
	}
	if i := strings.IndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	return code
}

// errorInfo is what an error body says about the error.
type errorInfo struct {
	code    string
	message *string
}

// parseErrorBody reads the error code and message from an error response
// body: the code from the top-level "code" member, else "__type"; the
// message from "message", else "Message". Members of nested objects do not
// count. An empty body says nothing; a body that is not JSON is an error.
func parseErrorBody(body []byte) (errorInfo, error) {
	var info errorInfo
	var codeMember, typeMember string
	var upperMessage *string
	err := decodeObject(body, func(key, value []byte) error {
		var err error
		switch string(key) {
		case "code":
			// Some services put a number here: only a string is a code.
			if s, _ := jsonwire.String(value); s != nil {
				codeMember = *s
			}
		case "__type":
			var s *string
			if s, err = jsonwire.String(value); s != nil {
				typeMember = *s
			}
		case "message":
			info.message, err = jsonwire.String(value)
		case "Message":
			upperMessage, err = jsonwire.String(value)
		}
		if err != nil {
			return memberError(string(key), err)
		}
		return nil
	})
	if err != nil {
		return errorInfo{}, err
	}
	info.code = codeMember
	if info.code == "" {
		info.code = typeMember
	}
	if info.message == nil {
		info.message = upperMessage
	}
	return info, nil
}
