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
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	smithy "github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/tracing"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// moduleVersion is this module's version, sent in the User-Agent header.
const moduleVersion = "0.1.0"

// validateInput rejects an input with missing required members before
// anything is built or sent.
type validateInput struct{ op *operation }

func (*validateInput) ID() string { return "OperationInputValidation" }

func (m *validateInput) HandleInitialize(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (
	middleware.InitializeOutput, middleware.Metadata, error,
) {
	if err := m.op.validate(in.Parameters); err != nil {
		return middleware.InitializeOutput{}, middleware.Metadata{}, err
	}
	return next.HandleInitialize(ctx, in)
}

// payload is a serialized request body. It is a seekable reader, as smithy-go
// expects of a body it may send again, and it keeps the bytes, so that each
// attempt sends its own reader and the payload hash is computed once.
type payload struct {
	bytes.Reader
	body []byte
}

func (p *payload) set(body []byte) {
	p.body = body
	p.Reset(body)
}

// newBody returns a reader of its own over the payload: one attempt's
// request body, which the transport may also ask for again (GetBody) to
// resend on a fresh connection. It is a NopCloser over a *bytes.Reader on
// purpose: net/http recognizes that as a body in memory and writes it in one
// packet with the headers; for any other type it flushes the headers first.
func (p *payload) newBody() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(p.body)), nil
}

// emptyRequest is what newRequest copies: no URL, no header, no body.
var emptyRequest = &smithyhttp.Request{Request: &http.Request{}}

// newRequest returns the request a call starts from: smithy-go's empty
// request, except that its body is already an empty *payload, for the
// serializer to fill. Setting a body through smithy-go's SetStream copies the
// whole request, header and URL included; setting it here, while there is
// nothing to copy, and filling it in place later, does not.
func newRequest() any {
	req, err := emptyRequest.SetStream(&payload{})
	if err != nil { // cannot happen: a *payload always seeks
		return smithyhttp.NewStackRequest()
	}
	req.URL = &url.URL{}
	req.Header = http.Header{}
	req.ContentLength = -1 // unknown until serialized, as in NewStackRequest
	return req
}

var contentTypeJSON = []string{"application/json"}

// serializeInput writes the operation's method, path, Content-Type and body
// into the request.
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
	path, rawPath, body, err := m.op.serialize(in.Parameters)
	m.telemetry.since(ctx, m.telemetry.serializeDuration, start)
	span.End()
	if err != nil {
		return middleware.SerializeOutput{}, middleware.Metadata{}, &smithy.SerializationError{Err: err}
	}
	req.Method = http.MethodPost
	req.URL.Path = joinPath(req.URL.Path, path)
	if rawPath != path {
		req.URL.RawPath = joinPath(req.URL.RawPath, rawPath)
	}
	req.Header["Content-Type"] = contentTypeJSON
	getCallSecrets(ctx).setBody(body)
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

func newPayload(body []byte) *payload {
	p := &payload{}
	p.set(body)
	return p
}

// joinPath is smithyhttp.JoinPath without the copy when there is nothing
// to join to: a new request has no path yet.
func joinPath(base, path string) string {
	if base == "" && strings.HasPrefix(path, "/") {
		return path
	}
	return smithyhttp.JoinPath(base, path)
}

// newUserAgent returns the aws-sdk-go-v2 User-Agent middleware, naming this
// API, the retry mode and where the credentials come from. It is the SDK's
// own type, so that APIOptions such as awsmiddleware.AddUserAgentKey find it
// and add to it; freezeUserAgent then turns it into a fixed header value.
func newUserAgent(o Options) *awsmiddleware.RequestUserAgent {
	ua := awsmiddleware.NewRequestUserAgent()
	ua.AddSDKAgentKeyValue(awsmiddleware.APIMetadata, signingName, moduleVersion)
	if o.AppID != "" {
		ua.AddSDKAgentKey(awsmiddleware.ApplicationIdentifier, o.AppID)
	}
	switch o.Retryer.(type) {
	case *retry.Standard:
		ua.AddUserAgentFeature(awsmiddleware.UserAgentFeatureRetryModeStandard)
	case *retry.AdaptiveMode:
		ua.AddUserAgentFeature(awsmiddleware.UserAgentFeatureRetryModeAdaptive)
	}
	if sources, ok := o.Credentials.(aws.CredentialProviderSource); ok {
		for _, source := range sources.ProviderSources() {
			ua.AddCredentialsSource(source)
		}
	}
	return ua
}

const userAgentHeader = "User-Agent"

// freezeUserAgent replaces the SDK's User-Agent middleware, once the stack
// functions have added to it, with one that writes the same header value,
// built once. The SDK's middleware builds the value anew on every call,
// sorting its features through a map; the value depends only on what was
// added to it, which is fixed by now. A User-Agent middleware of another
// type, put there by a stack function, is left alone.
func freezeUserAgent(stack *middleware.Stack) error {
	sdk, ok := stillSDKMiddleware[*awsmiddleware.RequestUserAgent](stack.Build.Get, userAgentMiddlewareID)
	if !ok {
		return nil
	}
	// Let the SDK's middleware write its value into an empty request.
	req := smithyhttp.NewStackRequest().(*smithyhttp.Request)
	_, _, err := sdk.HandleBuild(context.Background(), middleware.BuildInput{Request: req}, middleware.BuildHandlerFunc(
		func(context.Context, middleware.BuildInput) (middleware.BuildOutput, middleware.Metadata, error) {
			return middleware.BuildOutput{}, middleware.Metadata{}, nil
		}))
	if err != nil {
		return err
	}
	_, err = stack.Build.Swap(userAgentMiddlewareID, &fixedUserAgent{value: req.Header.Get(userAgentHeader)})
	return err
}

const userAgentMiddlewareID = "UserAgent"

// stillSDKMiddleware returns the middleware with the given ID in a step, if
// it is there and still of the SDK's type T: a stack function may have
// removed it or put one of its own in its place.
func stillSDKMiddleware[T any, M any](get func(id string) (M, bool), id string) (T, bool) {
	m, ok := get(id)
	if !ok {
		var none T
		return none, false
	}
	sdk, ok := any(m).(T)
	return sdk, ok
}

// fixedUserAgent sets the User-Agent header the SDK's middleware would set:
// its value, followed by whatever User-Agent the request already had.
type fixedUserAgent struct{ value string }

func (*fixedUserAgent) ID() string { return userAgentMiddlewareID }

func (m *fixedUserAgent) HandleBuild(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (
	middleware.BuildOutput, middleware.Metadata, error,
) {
	req, ok := in.Request.(*smithyhttp.Request)
	if !ok {
		return middleware.BuildOutput{}, middleware.Metadata{}, fmt.Errorf("unknown transport type %T", in.Request)
	}
	value := m.value
	if current := req.Header[userAgentHeader]; len(current) > 0 && current[0] != "" {
		value += " " + current[0]
	}
	req.Header[userAgentHeader] = append(req.Header[userAgentHeader][:0], value)
	return next.HandleBuild(ctx, in)
}

// emptyPayloadHash is the hex SHA-256 of nothing.
const emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// computePayloadHash hashes the body once per call, before the retry loop, for
// the signer.
type computePayloadHash struct{}

func (*computePayloadHash) ID() string { return "ComputePayloadSHA256" }

func (*computePayloadHash) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
	middleware.FinalizeOutput, middleware.Metadata, error,
) {
	req, ok := in.Request.(*smithyhttp.Request)
	if !ok {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, fmt.Errorf("unknown transport type %T", in.Request)
	}
	hash := emptyPayloadHash
	switch stream := req.GetStream().(type) {
	case nil:
	case *payload:
		sum := sha256.Sum256(stream.body)
		hash = hex.EncodeToString(sum[:])
	default:
		// A stack function replaced the body: hash what it gave.
		if _, ok := stream.(io.Seeker); !ok {
			return middleware.FinalizeOutput{}, middleware.Metadata{}, fmt.Errorf("cannot hash a request body of type %T", stream)
		}
		h := sha256.New()
		if _, err := io.Copy(h, stream); err != nil {
			return middleware.FinalizeOutput{}, middleware.Metadata{}, fmt.Errorf("hash request body: %w", err)
		}
		if err := req.RewindStream(); err != nil {
			return middleware.FinalizeOutput{}, middleware.Metadata{}, err
		}
		hash = hex.EncodeToString(h.Sum(nil))
	}
	return next.HandleFinalize(v4.SetPayloadHash(ctx, hash), in)
}

// signRequest signs each attempt with SigV4, so each has its own X-Amz-Date.
type signRequest struct {
	signer         HTTPSignerV4
	credentials    aws.CredentialsProvider
	region         string
	clockSkew      *atomic.Int64
	skewCorrection bool
	logSigning     bool
	telemetry      *telemetry
}

func (*signRequest) ID() string { return "Signing" }

func (m *signRequest) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
	middleware.FinalizeOutput, middleware.Metadata, error,
) {
	if m.credentials == nil {
		return next.HandleFinalize(ctx, in)
	}
	req, ok := in.Request.(*smithyhttp.Request)
	if !ok {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, fmt.Errorf("unknown transport type %T", in.Request)
	}
	_, span := tracing.StartSpan(ctx, "SignRequest")
	defer span.End()
	start := m.telemetry.start()
	creds, err := m.credentials.Retrieve(ctx)
	m.telemetry.since(ctx, m.telemetry.resolveIdentityDuration, start)
	if err != nil {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, fmt.Errorf("failed to retrieve credentials: %w", err)
	}
	getCallSecrets(ctx).setCredentials(creds)
	name := awsmiddleware.GetSigningName(ctx)
	if name == "" {
		name = signingName
	}
	region := awsmiddleware.GetSigningRegion(ctx)
	if region == "" {
		region = m.region
	}
	signingTime := time.Now().UTC()
	if m.skewCorrection {
		signingTime = signingTime.Add(time.Duration(m.clockSkew.Load()))
	}
	start = m.telemetry.start()
	err = m.signer.SignHTTP(ctx, creds, req.Request, v4.GetPayloadHash(ctx), name, region, signingTime)
	m.telemetry.since(ctx, m.telemetry.signingDuration, start)
	if err != nil {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, fmt.Errorf("failed to sign request: %w", err)
	}
	if m.logSigning {
		middleware.GetLogger(ctx).Logf(logging.Debug, "%s", signingLogLine(req.Header))
	}
	span.End()
	out, metadata, err := next.HandleFinalize(ctx, in)
	// The retry middleware stores the skew only when the call ends; the SDK's
	// own signer gets each attempt's skew through an internal context value.
	// Storing what this attempt observed lets the retry of a request rejected
	// for clock skew be signed with the corrected time, as in aws-sdk-go-v2.
	if m.skewCorrection {
		if skew, ok := awsmiddleware.GetAttemptSkew(metadata); ok {
			m.clockSkew.Store(int64(skew))
		}
	}
	return out, metadata, err
}

// sendRequest is the handler at the bottom of the stack: it sends one attempt.
// Each attempt gets its own body reader over the serialized bytes, so a
// transport still reading an abandoned attempt's body never races with the
// next attempt.
type sendRequest struct {
	client    HTTPClient
	telemetry *telemetry
}

func (h sendRequest) Handle(ctx context.Context, input any) (any, middleware.Metadata, error) {
	req, ok := input.(*smithyhttp.Request)
	if !ok {
		return nil, middleware.Metadata{}, fmt.Errorf("expect a smithy-go HTTP request, got %T", input)
	}
	if err := smithyhttp.ValidateEndpointHost(req.URL.Host); err != nil {
		return nil, middleware.Metadata{}, err
	}
	hreq := req.Request.WithContext(ctx)
	switch stream := req.GetStream().(type) {
	case nil:
	case *payload:
		if len(stream.body) > 0 {
			hreq.Body, _ = stream.newBody()
			hreq.GetBody = stream.newBody
			hreq.ContentLength = int64(len(stream.body))
		}
	default:
		if hreq.ContentLength != 0 {
			hreq.Body = io.NopCloser(stream)
		}
	}

	ctx, span := tracing.StartSpan(ctx, "DoHTTPRequest")
	defer span.End()
	start := h.telemetry.start()
	resp, err := h.client.Do(hreq)
	h.telemetry.since(ctx, h.telemetry.doRequestDuration, start)
	if resp == nil {
		resp = &http.Response{Header: http.Header{}, Body: http.NoBody}
	}
	if h.telemetry.traced {
		span.SetProperty("http.method", hreq.Method)
		span.SetProperty("http.request_content_length", hreq.ContentLength)
		span.SetProperty("net.protocol.version", fmt.Sprintf("%d.%d", resp.ProtoMajor, resp.ProtoMinor))
		span.SetProperty("http.status_code", resp.StatusCode)
		span.SetProperty("http.response_content_length", resp.ContentLength)
	}
	if err != nil {
		err = &smithyhttp.RequestSendError{Err: err}
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = &smithy.CanceledError{Err: ctxErr}
		}
	}
	return &smithyhttp.Response{Response: resp}, middleware.Metadata{}, err
}
