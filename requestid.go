package amplifyuibuilder

import (
	"context"
	"net/http"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/tracing"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// requestIDHeaders are the headers that carry the service's request id, in
// order of preference. aws-sdk-go-v2 reads the first and the last; the
// service documents the first and the second.
var requestIDHeaders = []string{"X-Amzn-Requestid", "X-Amz-Request-Id", "X-Amz-Requestid"}

// requestIDOf returns the request id of a response, or "".
func requestIDOf(header http.Header) string {
	for _, name := range requestIDHeaders {
		if id := header.Get(name); id != "" {
			return id
		}
	}
	return ""
}

// retrieveRequestID puts each response's request id into the result metadata
// (awsmiddleware.GetRequestIDMetadata reads it, and the response error
// wrapper puts it into errors) and, when calls are traced, onto the current
// span: handing the id to a no-op span would still box it, an allocation
// per call.
type retrieveRequestID struct{ telemetry *telemetry }

func (*retrieveRequestID) ID() string { return "RequestIDRetriever" }

func (m *retrieveRequestID) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
	middleware.DeserializeOutput, middleware.Metadata, error,
) {
	out, metadata, err := next.HandleDeserialize(ctx, in)
	if resp, ok := out.RawResponse.(*smithyhttp.Response); ok && resp.Response != nil {
		if id := requestIDOf(resp.Header); id != "" {
			awsmiddleware.SetRequestIDMetadata(&metadata, id)
			if m.telemetry.traced {
				span, _ := tracing.GetSpan(ctx)
				span.SetProperty("aws.request_id", id)
			}
		}
	}
	return out, metadata, err
}
