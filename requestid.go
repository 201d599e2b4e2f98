package amplifyuibuilder

import (
	"context"
	"net/http"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/tracing"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/uibuilder-go/amplifyuibuilder/internal/calllog"
)

// The request id: which headers carry it, how a call reports it, and the two
// middleware that hand it on, to the result metadata and errors
// (RequestIDRetriever) and to the call's log lines (noteRequestID). Nothing
// else reads the headers.

// requestIDHeaders are the headers that carry the service's request id, in
// order of preference. aws-sdk-go-v2 reads the first and the last; the
// service documents the first and the second.
var requestIDHeaders = []string{"X-Amzn-Requestid", "X-Amz-Request-Id", "X-Amz-Requestid"}

// requestIDOf returns the request id in header, as sent, or "".
func requestIDOf(header http.Header) string {
	for _, name := range requestIDHeaders {
		if id := header.Get(name); id != "" {
			return id
		}
	}
	return ""
}

// reportedRequestID returns the request id of resp as the call reports it
// everywhere (metadata, errors, spans, logs): scrubbed of the call's secrets,
// since a server or proxy that echoes the request back may have put them
// there.
func reportedRequestID(ctx context.Context, resp *smithyhttp.Response) string {
	return getCallSecrets(ctx).scrub(requestIDOf(resp.Header))
}

// retrieveRequestID is the RequestIDRetriever middleware. It puts each
// response's request id into the result metadata, where
// awsmiddleware.GetRequestIDMetadata and the response error wrapper read it,
// and, when calls are traced, onto the attempt's span: handing the id to a
// no-op span would still box it, an allocation per call.
//
// The response's request id headers are rewritten as reported, so that the
// raw response an error or the metadata carries shows no secret either.
type retrieveRequestID struct{ telemetry *telemetry }

func (*retrieveRequestID) ID() string { return "RequestIDRetriever" }

func (m *retrieveRequestID) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
	middleware.DeserializeOutput, middleware.Metadata, error,
) {
	out, metadata, err := next.HandleDeserialize(ctx, in)
	resp, ok := out.RawResponse.(*smithyhttp.Response)
	if !ok || resp.Response == nil {
		return out, metadata, err
	}
	raw := requestIDOf(resp.Header)
	if raw == "" {
		return out, metadata, err
	}
	secrets := getCallSecrets(ctx)
	id := secrets.scrub(raw) // as reportedRequestID reports it
	for _, name := range requestIDHeaders {
		sent := resp.Header.Get(name)
		if sent == "" {
			continue
		}
		scrubbed := id // the reported one is scrubbed already
		if sent != raw {
			scrubbed = secrets.scrub(sent)
		}
		if scrubbed != sent {
			resp.Header.Set(name, scrubbed)
		}
	}
	awsmiddleware.SetRequestIDMetadata(&metadata, id)
	if m.telemetry.traced {
		span, _ := tracing.GetSpan(ctx)
		span.SetProperty("aws.request_id", id)
	}
	return out, metadata, err
}

// noteRequestID tells the call's log lines each response's request id. It
// sits closest to the transport, so that the response's own log line names
// it.
type noteRequestID struct{}

func (*noteRequestID) ID() string { return "NoteRequestIDForLogs" }

func (*noteRequestID) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
	middleware.DeserializeOutput, middleware.Metadata, error,
) {
	out, metadata, err := next.HandleDeserialize(ctx, in)
	if resp, ok := out.RawResponse.(*smithyhttp.Response); ok && resp.Response != nil {
		calllog.From(ctx).SetRequestID(reportedRequestID(ctx, resp))
	}
	return out, metadata, err
}
