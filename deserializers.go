package amplifyuibuilder

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"

	smithy "github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/tracing"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/uibuilder-go/amplifyuibuilder/internal/jsonwire"
)

// deserializeOutput reads each attempt's response body, up to a limit, and
// turns it into the operation's output or an error.
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
		return out, metadata, err
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

// decodeObject checks that body is one JSON document and calls member for
// each top-level member. An empty body or null decodes to nothing, as the
// aws-sdk-go-v2 client decodes them.
func decodeObject(body []byte, member func(key, value []byte) error) error {
	// JSON's whitespace only: bytes.TrimSpace would also accept a body
	// wrapped in \v, \f or Unicode spaces, which is not JSON.
	trimmed := bytes.Trim(body, " \t\r\n")
	if len(trimmed) == 0 || string(trimmed) == "null" {
		return nil
	}
	if !json.Valid(trimmed) {
		return errInvalidJSON(trimmed)
	}
	return jsonwire.Object(trimmed, member)
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

// memberError names the member a decoding error is about.
func memberError(key string, err error) error {
	return fmt.Errorf("member %s: %w", key, err)
}

// decodeTokenResponse decodes the members a token response may carry into
// the output fields given; refreshToken is nil for an output without one, and
// the member is then ignored like any unknown member.
func decodeTokenResponse(body []byte, accessToken **string, expiresIn **int32, refreshToken **string) error {
	return decodeObject(body, func(key, value []byte) (err error) {
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
			return memberError(string(key), err)
		}
		return nil
	})
}
