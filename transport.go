package amplifyuibuilder

import (
	"context"
	"fmt"
	"io"
	"net/http"

	smithy "github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/tracing"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// The handler at the bottom of the stack: it sends one attempt.

// sendRequest sends one attempt with the client's HTTPClient. Each attempt
// gets its own body reader over the serialized bytes, so a transport still
// reading an abandoned attempt's body never races with the next attempt.
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
	state := getCallState(ctx)
	if state != nil {
		state.attemptsSent++
	}
	hreq := req.Request.WithContext(ctx)
	switch stream := req.GetStream().(type) {
	case nil:
	case *payload:
		if len(stream.body) > 0 {
			hreq.Body = stream.firstBody(state)
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
		// Scrubbed here, at its source, so that every error above it (the
		// send error, the response error, the operation error) reads clean.
		err = &smithyhttp.RequestSendError{Err: getCallSecrets(ctx).scrubError(err)}
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = &smithy.CanceledError{Err: ctxErr}
		}
	}
	return newAttemptResponse(state, resp), middleware.Metadata{}, err
}

// newAttemptResponse wraps an attempt's response; the first attempt's
// wrapper is the call state's.
func newAttemptResponse(s *callState, resp *http.Response) *smithyhttp.Response {
	if s == nil || s.attemptsSent > 1 {
		return &smithyhttp.Response{Response: resp}
	}
	s.firstResponse.Response = resp
	return &s.firstResponse
}
