package amplifyuibuilder

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/restjson"
	smithy "github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/tracing"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/uibuilder-go/amplifyuibuilder/internal/jsonwire"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// The deserialize step's own middleware: each attempt's response body is read
// up to a limit, then decoded into the operation's output (2xx) or mapped to
// the error it describes (anything else), as the aws-sdk-go-v2 restJson1
// clients map it.

// deserializeOutput is the OperationDeserializer middleware.
type deserializeOutput struct {
	op        *operation
	maxBody   int64
	telemetry *telemetry
}

func (*deserializeOutput) ID() string { return "OperationDeserializer" }

func (m *deserializeOutput) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
	out middleware.DeserializeOutput, metadata middleware.Metadata, err error,
) {
	out, metadata, err = next.HandleDeserialize(ctx, in)
	if err != nil {
		return out, metadata, err
	}
	resp, ok := out.RawResponse.(*smithyhttp.Response)
	if !ok {
		return out, metadata, &smithy.DeserializationError{Err: fmt.Errorf("unknown transport type %T", out.RawResponse)}
	}

	_, span := tracing.StartSpan(ctx, "OperationDeserializer")
	defer span.End()
	defer m.telemetry.since(ctx, m.telemetry.deserializeDuration, m.telemetry.start())

	body, err := readBody(resp.Body, resp.ContentLength, m.maxBody)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			// The caller gave up while the body was arriving: report it as
			// sendRequest does, so that the retryer stops instead of
			// counting a deadline as a transient read error to retry.
			return out, metadata, &smithy.CanceledError{Err: ctxErr}
		}
		return out, metadata, getCallSecrets(ctx).scrubError(err) // a trailer may quote the request
	}

	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		return out, metadata, errorFromResponse(resp, body, getCallSecrets(ctx).scrub)
	}
	out.Result, err = m.op.deserialize(body)
	if err != nil {
		return out, metadata, &smithy.DeserializationError{Err: err}
	}
	return out, metadata, nil
}

// readBody reads body, up to limit bytes, into a string, and closes it. A
// body read to its end lets the connection be reused; a longer one is
// abandoned at the limit and its connection closed.
//
// The body is copied once, into a string that the output's tokens are then
// slices of: a buffer of the size the Content-Length announces, capped by the
// limit, or one that grows as the body arrives when the length is unknown.
// The bytes pass through a small scratch buffer on their way.
func readBody(body io.ReadCloser, contentLength, limit int64) (string, error) {
	defer body.Close()
	var b strings.Builder
	if contentLength > 0 {
		b.Grow(int(min(contentLength, limit)))
	}
	scratch := scratchBuffers.Get().(*[scratchSize]byte)
	defer scratchBuffers.Put(scratch)
	// One byte past the limit tells a body at the limit from a longer one.
	remaining := limit + 1
	for remaining > 0 {
		n, err := body.Read(scratch[:min(int64(len(scratch)), remaining)])
		if b.Cap()-b.Len() < n {
			b.Grow(n) // doubles; Write alone would grow by a quarter
		}
		b.Write(scratch[:n])
		remaining -= int64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", &smithy.DeserializationError{Err: fmt.Errorf("failed to read response body, %w", err)}
		}
	}
	if remaining <= 0 {
		return "", &ResponseTooLargeError{Limit: limit}
	}
	return b.String(), nil
}

// scratchSize is the most one read of a response body takes.
const scratchSize = 8 << 10

// scratchBuffers recycles the scratch buffers of readBody; each is used only
// while a body is read.
var scratchBuffers = sync.Pool{New: func() any { return new([scratchSize]byte) }}

// tokenValues holds what a token output's pointers point to, so that an
// output and its members are one allocation.
type tokenValues struct {
	accessToken, refreshToken string
	expiresIn                 int32
}

// decodeTokenResponse decodes the members a token response may carry into
// the output fields given, pointing them into values; refreshToken is nil
// for an output without one, and the member is then ignored like any unknown
// member. An empty body or null decodes to nothing, as the aws-sdk-go-v2
// client decodes them.
//
// The tokens are slices of body: a large token is not copied again. When they
// are a small part of a large body, they are copied out of it instead, so
// that an output kept for the token's lifetime does not keep the rest.
func decodeTokenResponse(body string, values *tokenValues, accessToken **string, expiresIn **int32, refreshToken **string) error {
	// JSON's whitespace only: strings.TrimSpace would also accept a body
	// wrapped in \v, \f or Unicode spaces, which is not JSON.
	trimmed := strings.Trim(body, " \t\r\n")
	if len(trimmed) == 0 || trimmed == "null" {
		return nil
	}
	if !jsonwire.Valid(trimmed) {
		return errInvalidJSON([]byte(trimmed))
	}
	err := jsonwire.Object(trimmed, func(key, value string) (err error) {
		var ok bool
		switch key {
		case "accessToken":
			if values.accessToken, ok, err = jsonwire.StringValue(value); ok {
				*accessToken = &values.accessToken
			} else {
				*accessToken = nil
			}
		case "expiresIn":
			if values.expiresIn, ok, err = jsonwire.Int32Value(value); ok {
				*expiresIn = &values.expiresIn
			} else {
				*expiresIn = nil
			}
		case "refreshToken":
			if refreshToken == nil {
				break
			}
			if values.refreshToken, ok, err = jsonwire.StringValue(value); ok {
				*refreshToken = &values.refreshToken
			} else {
				*refreshToken = nil
			}
		}
		if err != nil {
			return fmt.Errorf("member %s: %w", key, err)
		}
		return nil
	})
	if kept := len(values.accessToken) + len(values.refreshToken); len(body) > 2*kept+maxRetainedSlack {
		values.accessToken = strings.Clone(values.accessToken)
		values.refreshToken = strings.Clone(values.refreshToken)
	}
	return err
}

// maxRetainedSlack is how many bytes of a body besides its tokens an output
// may keep alive.
const maxRetainedSlack = 4 << 10

// errInvalidJSON describes why a body is not JSON, without quoting it.
func errInvalidJSON(body []byte) error {
	var v any
	err := json.Unmarshal(body, &v)
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return fmt.Errorf("response body is not valid JSON: %s (offset %d)", syntax.Error(), syntax.Offset)
	}
	if err != nil {
		return fmt.Errorf("response body is not valid JSON: %v", err)
	}
	return errors.New("response body is not valid JSON")
}

// unknownError is the code of an error response that names no code. It is
// also the message of one that carries no message, as in aws-sdk-go-v2.
const unknownError = "UnknownError"

// errorFromResponse turns a non-2xx response into the error it describes, as
// the aws-sdk-go-v2 restJson1 clients do: the code from the X-Amzn-Errortype
// header, else from the body; the body read by restjson.GetErrorInfo; the
// modeled *types.InvalidParameterException for its code (case-insensitively),
// a *smithy.GenericAPIError with the code and message for any other. The
// caller's middleware wraps it with the status code and request id.
//
// The body and the header pass through scrub first: a server or proxy that
// echoes the request back must not put the call's secrets into error
// messages, or into the log lines that print them.
func errorFromResponse(resp *smithyhttp.Response, body string, scrub func(string) string) error {
	// The body is scrubbed before it is read, and what it says after, for a
	// secret the server escaped in a way the scrubber does not know.
	bodyCode, message, err := restjson.GetErrorInfo(json.NewDecoder(strings.NewReader(scrub(body))))
	if err != nil {
		return &smithy.DeserializationError{Err: fmt.Errorf("failed to decode response body, %w", err)}
	}
	// As in the generated clients, the code GetErrorInfo sanitized is
	// sanitized once more; the header's, once.
	code := restjson.SanitizeErrorCode(scrub(bodyCode))
	if header := resp.Header.Get("X-Amzn-Errortype"); header != "" {
		code = restjson.SanitizeErrorCode(scrub(header))
	}
	if code == "" {
		code = unknownError
	}
	message = scrub(message)

	if strings.EqualFold(code, "InvalidParameterException") {
		e := &types.InvalidParameterException{}
		if message != "" {
			e.Message = &message
		}
		return e
	}
	if message == "" {
		message = unknownError
	}
	return &smithy.GenericAPIError{Code: code, Message: message}
}
