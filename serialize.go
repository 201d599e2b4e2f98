package amplifyuibuilder

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	smithy "github.com/aws/smithy-go"
	"github.com/aws/smithy-go/encoding/httpbinding"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/tracing"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/uibuilder-go/amplifyuibuilder/internal/jsonwire"
	"github.com/uibuilder-go/amplifyuibuilder/internal/model"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// The serialize step: the operation's description turns the input into the
// request's method, path, Content-Type and JSON body. The body's secret
// members are handed to the call's secrets as they are written.

// serializeInput writes the request of one operation.
type serializeInput struct {
	op        *operation
	telemetry *telemetry
}

func (*serializeInput) ID() string { return "OperationSerializer" }

func (m *serializeInput) HandleSerialize(ctx context.Context, in middleware.SerializeInput, next middleware.SerializeHandler) (
	middleware.SerializeOutput, middleware.Metadata, error,
) {
	req, ok := in.Request.(*smithyhttp.Request)
	if !ok {
		return middleware.SerializeOutput{}, middleware.Metadata{}, &smithy.SerializationError{Err: fmt.Errorf("unknown transport type %T", in.Request)}
	}
	_, span := tracing.StartSpan(ctx, "OperationSerializer")
	start := m.telemetry.start()
	input := m.op.bind(in.Parameters)
	path, rawPath, err := requestPath(m.op, input)
	var body []byte
	if err == nil {
		body, err = requestBody(m.op, input, getCallState(ctx))
	}
	m.telemetry.since(ctx, m.telemetry.serializeDuration, start)
	span.End()
	if err != nil {
		return middleware.SerializeOutput{}, middleware.Metadata{}, &smithy.SerializationError{Err: err}
	}
	req.Method = m.op.model.Method
	req.URL.Path = joinPath(req.URL.Path, path)
	if rawPath != path {
		req.URL.RawPath = joinPath(req.URL.RawPath, rawPath)
	}
	// The request's own value: a middleware may write it in place.
	req.Header["Content-Type"] = getCallState(ctx).headerValue(headerContentType, "application/json")
	if p, ok := req.GetStream().(*payload); ok && p.body == nil {
		p.set(body)
		req.ContentLength = int64(len(body))
	} else if req, err = req.SetStream(newPayload(body)); err != nil {
		// A stack function gave the request another body: replace it.
		return middleware.SerializeOutput{}, middleware.Metadata{}, &smithy.SerializationError{Err: err}
	}
	in.Request = req
	return next.HandleSerialize(ctx, in)
}

// requestPath returns the operation's path with the input's label, unescaped
// and escaped. An empty label is an error: it would send the request to
// /tokens/, another resource.
func requestPath(op *operation, in boundInput) (path, rawPath string, err error) {
	d := op.model
	if in.label == "" {
		return "", "", fmt.Errorf("input member %s must not be empty", d.LabelField)
	}
	if known, ok := op.knownPaths[in.label]; ok {
		return known, known, nil
	}
	path = d.PathPrefix + in.label + d.PathSuffix
	if escaped := escapeLabel(in.label); escaped != in.label {
		return path, d.PathPrefix + escaped + d.PathSuffix, nil
	}
	return path, path, nil
}

// knownPaths returns the paths of op for the providers this library knows,
// which need no escaping, built once instead of on every call.
func knownPaths(d *model.Operation) map[string]string {
	paths := map[string]string{}
	for _, provider := range types.TokenProviders("").Values() {
		if label := string(provider); escapeLabel(label) == label {
			paths[label] = d.PathPrefix + label + d.PathSuffix
		}
	}
	return paths
}

// escapeLabel percent-encodes a URI label as restJson1 does, with smithy-go's
// httpbinding: every byte but A-Z a-z 0-9 - . _ ~, '/' included, so that a
// label never adds a path segment. A label with nothing to escape, as every
// provider name is, is returned as it is, without httpbinding's copies.
func escapeLabel(label string) string {
	for i := 0; i < len(label); i++ {
		if c := label[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~') {
			return httpbinding.EscapePath(label, true)
		}
	}
	return label
}

// requestBody writes the payload as one JSON object, its keys in name order,
// nil members left out, in a buffer sized for it unless a value needs
// escaping: the call's state's when it fits. Each sensitive member's value
// is recorded in the call's secrets.
func requestBody(op *operation, in boundInput, state *callState) ([]byte, error) {
	d := op.model
	if !in.hasPayload {
		return nil, fmt.Errorf("input member %s must not be nil", d.PayloadField)
	}
	members := d.Payload.Members
	size := 2
	for i := range members {
		if v := in.members[i]; v != nil {
			size += len(members[i].Name) + len(*v) + 6 // two quoted strings, ':' and ','
		}
	}
	var buf []byte
	var secrets *callSecrets
	if state != nil {
		secrets = &state.secrets
	}
	if state != nil && !state.bodyTaken && size <= len(state.body) {
		state.bodyTaken = true
		buf = state.body[:0:size]
	} else {
		buf = make([]byte, 0, size)
	}
	w := jsonwire.NewObjectWriter(buf)
	for _, i := range d.Payload.WireOrder() {
		v := in.members[i]
		w.String(members[i].Name, v)
		if v != nil && members[i].Sensitive {
			secrets.add(*v)
		}
	}
	return w.Close(), nil
}

// joinPath is smithyhttp.JoinPath without the copy when there is nothing
// to join to: a new request has no path yet.
func joinPath(base, path string) string {
	if base == "" && strings.HasPrefix(path, "/") {
		return path
	}
	return smithyhttp.JoinPath(base, path)
}

// payload is a serialized request body. It is a seekable reader, as smithy-go
// expects of a body it may send again, and it keeps the bytes, so that each
// attempt sends its own reader (transport.go).
type payload struct {
	bytes.Reader
	body  []byte
	state *callState // the call whose state holds the payload, or nil
	sum   string     // the hex SHA-256 of body, once sha256Hex computed it
}

func (p *payload) set(body []byte) {
	p.body = body
	p.sum = ""
	p.Reset(body)
}

// sha256Hex returns the hex SHA-256 of the payload's bytes, the SigV4
// payload hash, computed on the first call only: the bytes do not change
// between attempts. Its one allocation is the string, unless the call's
// invocation id brought the hash along (callState.invocationID).
func (p *payload) sha256Hex() string {
	if p.sum == "" {
		var text [payloadHashLength]byte
		p.putSHA256Hex(&text)
		p.sum = string(text[:])
	}
	return p.sum
}

const payloadHashLength = 2 * sha256.Size

// putSHA256Hex writes the hex SHA-256 of the payload's bytes into text.
func (p *payload) putSHA256Hex(text *[payloadHashLength]byte) {
	sum := sha256.Sum256(p.body)
	hex.Encode(text[:], sum[:])
}

func newPayload(body []byte) *payload {
	p := &payload{}
	p.set(body)
	return p
}

// newBody returns a reader of its own over the payload: one attempt's
// request body, which the transport may also ask for again (GetBody) to
// resend on a fresh connection. It is a NopCloser over a *bytes.Reader on
// purpose: net/http recognizes that as a body in memory and writes it in one
// packet with the headers; for any other type it flushes the headers first.
func (p *payload) newBody() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(p.body)), nil
}

// firstBody is newBody for a call's first attempt: the reader is the one the
// call's state holds.
func (p *payload) firstBody(s *callState) io.ReadCloser {
	if s == nil || s.attemptsSent > 1 {
		body, _ := p.newBody()
		return body
	}
	s.firstBody.Reset(p.body)
	return io.NopCloser(&s.firstBody)
}

// emptyRequest is what newRequest copies: no URL, no header, no body.
var emptyRequest = &smithyhttp.Request{Request: &http.Request{}}

// newRequest returns the request a call starts from: smithy-go's empty
// request, except that its body is already an empty *payload, for the
// serializer to fill. Setting a body through smithy-go's SetStream copies the
// whole request, header and URL included; setting it here, while there is
// nothing to copy, and filling it in place later, does not. The payload and
// the URL are the call's state's (callcontext.go) for its first request.
func newRequest(ctx context.Context) any {
	var p *payload
	var u *url.URL
	if s := getCallState(ctx); s != nil && !s.requestTaken {
		s.requestTaken = true
		p, u = &s.payload, &s.url
		p.state = s
	} else {
		p, u = &payload{}, &url.URL{}
	}
	req, err := emptyRequest.SetStream(p)
	if err != nil { // cannot happen: a *payload always seeks
		return smithyhttp.NewStackRequest()
	}
	req.URL = u
	req.Header = make(http.Header, 8) // room for every header a call sets
	req.ContentLength = -1            // unknown until serialized, as in NewStackRequest
	return req
}

// cloneAttemptRequest is the request cloner of the retry middleware: each
// attempt gets its own copy of the request, header and URL, as
// smithyhttp.RequestCloner makes it. The first attempt's copy is the call
// state's. It is a copy field by field, as http.Request.Clone makes it, of a
// request that has none of the fields that Clone copies deeply besides the
// header and the URL (the trailer, the forms, the transfer encodings); any
// other request is copied by smithy-go, as before.
func cloneAttemptRequest(in any) any {
	r := in.(*smithyhttp.Request)
	p, ok := r.GetStream().(*payload)
	if !ok || p.state == nil || p.state.attemptCloned || r.Request == nil ||
		r.Trailer != nil || r.TransferEncoding != nil || r.Form != nil || r.PostForm != nil || r.MultipartForm != nil {
		return smithyhttp.RequestCloner(in)
	}
	s := p.state
	s.attemptCloned = true
	c := &s.firstAttempt
	c.http = *r.Request
	if r.URL != nil {
		c.url = *r.URL
		if r.URL.User != nil {
			user := *r.URL.User
			c.url.User = &user
		}
		c.http.URL = &c.url
	}
	c.http.Header = cloneHeader(r.Header, c.values[:])
	c.request = *r
	c.request.Request = &c.http
	return &c.request
}

// cloneHeader is http.Header.Clone with the values copied into room when
// they fit there.
func cloneHeader(h http.Header, room []string) http.Header {
	if h == nil {
		return nil
	}
	n := 0
	for _, values := range h {
		n += len(values)
	}
	if n > len(room) {
		return h.Clone()
	}
	c := make(http.Header, len(h))
	for name, values := range h {
		if values == nil {
			c[name] = nil
			continue
		}
		k := copy(room, values)
		c[name] = room[:k:k]
		room = room[k:]
	}
	return c
}
