package amplifyuibuilder

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/uibuilder-go/amplifyuibuilder/internal/calllog"
	"github.com/uibuilder-go/amplifyuibuilder/internal/redact"
)

// sensitiveMembers are the JSON members of the token operations whose values
// are secrets, in requests and responses alike.
var sensitiveMembers = map[string]bool{
	"code":         true,
	"clientId":     true,
	"token":        true,
	"accessToken":  true,
	"refreshToken": true,
}

// sensitiveHeaders carry credentials.
var sensitiveHeaders = map[string]bool{
	"Authorization":        true,
	"X-Amz-Security-Token": true,
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

// noteRequestID records each response's request id for the call's log lines.
type noteRequestID struct{}

func (*noteRequestID) ID() string { return "NoteRequestIDForLogs" }

func (*noteRequestID) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
	middleware.DeserializeOutput, middleware.Metadata, error,
) {
	out, metadata, err := next.HandleDeserialize(ctx, in)
	if resp, ok := out.RawResponse.(*smithyhttp.Response); ok && resp.Response != nil {
		// Scrubbed here too: a context-aware logger takes the request id
		// from calllog, not from the text of a line.
		calllog.From(ctx).SetRequestID(getCallSecrets(ctx).scrub(requestIDOf(resp.Header)))
	}
	return out, metadata, err
}

// withCallLog gives the call a logger of its own, which names the operation
// and, once known, the request id: for a log mode that logs something.
// Calls whose log mode logs nothing get the plan's logger (newCallValues).
//
// Either way every line passes through the call's secrets scrubber right
// before the caller's logger, so that no line, whichever middleware writes
// it, carries a secret of the call.
func withCallLog(ctx context.Context, inner logging.Logger) context.Context {
	logger := getCallSecrets(ctx).logger(inner)
	ctx, _ = calllog.With(ctx)
	return middleware.SetLogger(ctx, callLogger{logger})
}

// callLogger is the caller's logger for one call. A logger that takes the
// context (such as slogadapter's) gets it, and names the operation and
// request id its own way; any other gets each line prefixed with them.
type callLogger struct{ logging.Logger }

func (l callLogger) WithContext(ctx context.Context) logging.Logger {
	if cl, ok := l.Logger.(logging.ContextLogger); ok {
		return cl.WithContext(ctx)
	}
	return prefixLogger{l.Logger, logPrefix(ctx)}
}

type prefixLogger struct {
	logging.Logger
	prefix string
}

func (l prefixLogger) Logf(classification logging.Classification, format string, v ...any) {
	l.Logger.Logf(classification, "%s%s", l.prefix, fmt.Sprintf(format, v...))
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
	// Asked for again: the logger now knows the response's request id.
	middleware.GetLogger(ctx).Logf(logging.Debug, "Response\n%s", formatMessage(
		fmt.Sprintf("%s %s", resp.Proto, resp.Status), "", "", resp.Header, body, m.responseWithBody))
	return out, metadata, err
}

type readCloser struct {
	io.Reader
	io.Closer
}

// logPrefix names the operation and, once known, the request id, so that
// each log line can be traced to its call.
func logPrefix(ctx context.Context) string {
	if id := calllog.From(ctx).RequestID(); id != "" {
		return fmt.Sprintf("%s.%s (request id %s): ", awsmiddleware.GetServiceID(ctx), awsmiddleware.GetOperationName(ctx), id)
	}
	return fmt.Sprintf("%s.%s: ", awsmiddleware.GetServiceID(ctx), awsmiddleware.GetOperationName(ctx))
}

// formatMessage renders an HTTP message as httputil's dumps do: start line,
// headers in name order, blank line, body.
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

// redactHeader hides credentials: the session token entirely, and in the
// Authorization header the access key id and the signature, keeping the
// scope and the signed header names, which are what one debugs.
func redactHeader(name, value string) string {
	name = http.CanonicalHeaderKey(name)
	if !sensitiveHeaders[name] {
		return value
	}
	if name == "Authorization" {
		return redactAuthorization(value)
	}
	return redact.Marker
}

func redactAuthorization(value string) string {
	algorithm, rest, ok := strings.Cut(value, " ")
	if !ok {
		return redact.Marker
	}
	parts := strings.Split(rest, ", ")
	for i, part := range parts {
		key, val, _ := strings.Cut(part, "=")
		switch key {
		case "Credential":
			if _, scope, ok := strings.Cut(val, "/"); ok {
				parts[i] = key + "=" + redact.Marker + "/" + scope
			} else {
				parts[i] = key + "=" + redact.Marker
			}
		case "SignedHeaders":
		default:
			parts[i] = key + "=" + redact.Marker
		}
	}
	return algorithm + " " + strings.Join(parts, ", ")
}

// redactedURI returns the request URI; the token operations carry no secret
// in the URL, but a query string added by a stack function might.
func redactedURI(uri string) string {
	if path, query, ok := strings.Cut(uri, "?"); ok && query != "" {
		return path + "?" + redact.Marker
	}
	return uri
}

// redactBody returns a JSON body with the values of secret members replaced
// by the marker, at any depth, and the rest as it was. A body that is not
// JSON is not logged: it cannot be redacted, so only its size is.
func redactBody(body []byte) string {
	if len(bytes.TrimSpace(body)) == 0 {
		return string(body)
	}
	if !json.Valid(body) {
		return fmt.Sprintf("[%d bytes of non-JSON body not logged]", len(body))
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return fmt.Sprintf("[%d bytes of body not logged]", len(body))
	}
	out, err := json.Marshal(redactValue(doc))
	if err != nil {
		return fmt.Sprintf("[%d bytes of body not logged]", len(body))
	}
	return string(out)
}

func redactValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for key, member := range v {
			if sensitiveMembers[key] && member != nil {
				v[key] = redact.Marker
				continue
			}
			v[key] = redactValue(member)
		}
	case []any:
		for i := range v {
			v[i] = redactValue(v[i])
		}
	}
	return v
}

// signingLogLine describes how a request was signed without the credentials.
func signingLogLine(header http.Header) string {
	return fmt.Sprintf("Request signed: X-Amz-Date=%s, Authorization=%s, X-Amz-Security-Token=%s",
		header.Get("X-Amz-Date"), redactAuthorization(header.Get("Authorization")),
		presence(header.Get("X-Amz-Security-Token")))
}

func presence(v string) string {
	if v == "" {
		return "(none)"
	}
	return redact.Marker
}
