package amplifyuibuilder

import (
	"bytes"
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

	buf := responseBuffers.Get().(*responseBuffer)
	defer putResponseBuffer(buf)
	if err := buf.readBody(resp.Body, m.maxBody); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			// The caller gave up while the body was arriving: report it as
			// sendRequest does, so that the retryer stops instead of
			// counting a deadline as a transient read error to retry.
			return out, metadata, &smithy.CanceledError{Err: ctxErr}
		}
		return out, metadata, getCallSecrets(ctx).scrubError(err) // a trailer may quote the request
	}
	body := buf.Bytes()

	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		return out, metadata, errorFromResponse(resp, body, getCallSecrets(ctx).scrub)
	}
	out.Result, err = m.op.deserialize(body)
	if err != nil {
		return out, metadata, &smithy.DeserializationError{Err: err}
	}
	return out, metadata, nil
}

// responseBuffer holds one response body as it is read, and the reader that
// stops at the limit, so that neither is allocated per call.
type responseBuffer struct {
	bytes.Buffer
	limited io.LimitedReader
}

// readBody reads body into b, up to limit bytes, and closes it. A body read
// to its end lets the connection be reused; a longer one is abandoned at the
// limit and its connection closed.
func (b *responseBuffer) readBody(body io.ReadCloser, limit int64) error {
	defer body.Close()
	// One byte past the limit tells a body at the limit from a longer one.
	b.limited = io.LimitedReader{R: body, N: limit + 1}
	n, err := b.ReadFrom(&b.limited)
	b.limited.R = nil
	if err != nil {
		return &smithy.DeserializationError{Err: fmt.Errorf("failed to read response body, %w", err)}
	}
	if n > limit {
		return &ResponseTooLargeError{Limit: limit}
	}
	return nil
}

// responseBuffers recycles response buffers between calls. Nothing keeps a
// reference to a buffer's bytes after the call: decoding copies what it keeps.
var responseBuffers = sync.Pool{New: func() any { return new(responseBuffer) }}

// maxPooledBuffer keeps one unusually large response from pinning its buffer.
const maxPooledBuffer = 64 << 10

func putResponseBuffer(b *responseBuffer) {
	if b.Cap() > maxPooledBuffer {
		return
	}
	b.Reset()
	responseBuffers.Put(b)
}

// decodeTokenResponse decodes the members a token response may carry into
// the output fields given; refreshToken is nil for an output without one, and
// the member is then ignored like any unknown member. An empty body or null
// decodes to nothing, as the aws-sdk-go-v2 client decodes them.
func decodeTokenResponse(body []byte, accessToken **string, expiresIn **int32, refreshToken **string) error {
	// JSON's whitespace only: bytes.TrimSpace would also accept a body
	// wrapped in \v, \f or Unicode spaces, which is not JSON.
	trimmed := bytes.Trim(body, " \t\r\n")
	if len(trimmed) == 0 || string(trimmed) == "null" {
		return nil
	}
	if !json.Valid(trimmed) {
		return errInvalidJSON(trimmed)
	}
	return jsonwire.Object(trimmed, func(key, value []byte) (err error) {
		switch string(key) {
		case "accessToken":
			*accessToken, err = jsonwire.String(value)
		case "expiresIn":
			*expiresIn, err = jsonwire.Int32(value)
		case "refreshToken":
			if refreshToken != nil {
				*refreshToken, err = jsonwire.String(value)
			}
		}
		if err != nil {
			return fmt.Errorf("member %s: %w", key, err)
		}
		return nil
	})
}

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
func errorFromResponse(resp *smithyhttp.Response, body []byte, scrub func(string) string) error {
	// The body is scrubbed before it is read, and what it says after, for a
	// secret the server escaped in a way the scrubber does not know.
	bodyCode, message, err := restjson.GetErrorInfo(json.NewDecoder(strings.NewReader(scrub(string(body)))))
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
