package amplifyuibuilder

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"

	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// What a call logs and how: the caller's logger behind one call logger, and
// the middleware that logs each attempt's request and response as
// Options.ClientLogMode asks.

// callLogger is the caller's logger as one call sees it. Every line passes
// through the call's secrets scrubber right before the caller's logger, so
// that no line, whichever middleware writes it, carries a secret of the call.
// With a log mode on, a logger that does not take the context gets each line
// prefixed with the operation and, once known, the request id; one that
// takes it (such as slogadapter's) gets the context and names them its own
// way.
//
// The plan's values hold one with no call (newCallValues):
// middleware.GetLogger always asks it WithContext, and it answers with the
// logger of the call the context belongs to, without allocating unless the
// caller's logger takes the context.
type callLogger struct {
	inner  logging.Logger
	prefix bool
	state  *callState // nil in the plan's values
}

func (l *callLogger) Logf(classification logging.Classification, format string, v ...any) {
	if l.state == nil {
		return // no call: nothing to scrub with, so nothing is logged
	}
	line := fmt.Sprintf(format, v...)
	if l.prefix {
		line = l.state.logPrefix() + line
	}
	l.inner.Logf(classification, "%s", l.state.secrets.scrub(line))
}

// WithContext returns the logger of the call ctx belongs to.
func (l *callLogger) WithContext(ctx context.Context) logging.Logger {
	state := getCallState(ctx)
	if state == nil {
		return logging.Nop{}
	}
	if cl, ok := state.logger.inner.(logging.ContextLogger); ok {
		return &callLogger{inner: cl.WithContext(ctx), state: state}
	}
	return &state.logger
}

// logPrefix names the operation and, once known, the request id, so that
// each log line can be traced to its call.
func (s *callState) logPrefix() string {
	operation := middleware.GetOperationName(s)
	if id := s.logInfo.RequestID(); id != "" {
		return fmt.Sprintf("%s.%s (request id %s): ", ServiceID, operation, id)
	}
	return fmt.Sprintf("%s.%s: ", ServiceID, operation)
}

// addRequestResponseLogging adds the logger the ClientLogMode asks for, as
// close to the transport as possible, so that it logs what is sent and what
// arrives, and below it the middleware that tells the call's log lines the
// request id.
func addRequestResponseLogging(stack *middleware.Stack, o Options) error {
	if o.ClientLogMode == 0 {
		return nil
	}
	m := &logRequestResponse{
		request:          o.ClientLogMode.IsRequest() || o.ClientLogMode.IsRequestWithBody(),
		requestWithBody:  o.ClientLogMode.IsRequestWithBody(),
		response:         o.ClientLogMode.IsResponse() || o.ClientLogMode.IsResponseWithBody(),
		responseWithBody: o.ClientLogMode.IsResponseWithBody(),
		maxBody:          maxBodySize(o),
	}
	if m.request || m.response {
		if err := stack.Deserialize.Add(m, middleware.After); err != nil {
			return err
		}
	}
	return stack.Deserialize.Add(&noteRequestID{}, middleware.After)
}

// logRequestResponse logs each attempt's request and response, with secret
// header values and secret body members replaced by redact.Marker.
type logRequestResponse struct {
	request, requestWithBody   bool
	response, responseWithBody bool
	maxBody                    int64
}

func (*logRequestResponse) ID() string { return "RequestResponseLogger" }

func (m *logRequestResponse) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
	out middleware.DeserializeOutput, metadata middleware.Metadata, err error,
) {
	if req, ok := in.Request.(*smithyhttp.Request); ok && m.request {
		var body []byte
		if p, ok := req.GetStream().(*payload); ok && m.requestWithBody {
			body = p.body
		}
		middleware.GetLogger(ctx).Logf(logging.Debug, "Request\n%s", formatMessage(
			fmt.Sprintf("%s %s HTTP/1.1", req.Method, redactedURI(req.URL.RequestURI())),
			req.Host, req.URL.Host, req.Header, body, m.requestWithBody))
	}

	out, metadata, err = next.HandleDeserialize(ctx, in)

	resp, ok := out.RawResponse.(*smithyhttp.Response)
	if !ok || !m.response || resp.Response == nil || resp.StatusCode == 0 {
		return out, metadata, err
	}
	var body []byte
	if m.responseWithBody && resp.Body != nil {
		// Read the body for the log and hand the deserializer the same
		// bytes. One byte past the limit lets the deserializer see that the
		// body is too long.
		body, _ = io.ReadAll(io.LimitReader(resp.Body, m.maxBody+1))
		rest := resp.Body
		resp.Body = readCloser{Reader: io.MultiReader(bytes.NewReader(body), rest), Closer: rest}
		if int64(len(body)) > m.maxBody {
			body = body[:m.maxBody]
		}
	}
	middleware.GetLogger(ctx).Logf(logging.Debug, "Response\n%s", formatMessage(
		fmt.Sprintf("%s %s", resp.Proto, resp.Status), "", "", resp.Header, body, m.responseWithBody))
	return out, metadata, err
}

type readCloser struct {
	io.Reader
	io.Closer
}

// formatMessage renders an HTTP message as httputil's dumps do: start line,
// headers in name order, blank line, body; credentials and secret members
// redacted (redaction.go).
func formatMessage(startLine, host, urlHost string, header http.Header, body []byte, withBody bool) string {
	var b strings.Builder
	b.WriteString(startLine)
	b.WriteString("\r\n")
	if host == "" {
		host = urlHost
	}
	if host != "" {
		fmt.Fprintf(&b, "Host: %s\r\n", host)
	}
	names := make([]string, 0, len(header))
	for name := range header {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, value := range header[name] {
			fmt.Fprintf(&b, "%s: %s\r\n", name, redactHeader(name, value))
		}
	}
	b.WriteString("\r\n")
	if withBody {
		b.WriteString(redactBody(body))
	}
	return b.String()
}
