package amplifyuibuilder

import (
	"context"
	"errors"
	"fmt"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	smithy "github.com/aws/smithy-go"
	"github.com/aws/smithy-go/metrics"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/tracing"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// instrumentationScope names the tracer and the meter of the client.
const instrumentationScope = "github.com/uibuilder-go/amplifyuibuilder"

// telemetry holds the tracer and the instruments of one client
// configuration. They are made once, when the stack is built, not on every
// call. With the default no-op providers, calls skip building span
// properties and metric options altogether.
type telemetry struct {
	tracer  tracing.Tracer
	traced  bool
	metered bool

	// The histograms of the aws-sdk-go-v2 clients, in seconds.
	callDuration            metrics.Float64Histogram
	serializeDuration       metrics.Float64Histogram
	resolveEndpointDuration metrics.Float64Histogram
	resolveIdentityDuration metrics.Float64Histogram
	signingDuration         metrics.Float64Histogram
	deserializeDuration     metrics.Float64Histogram
	doRequestDuration       metrics.Float64Histogram
}

func newTelemetry(o Options) (*telemetry, error) {
	t := &telemetry{
		tracer:  o.TracerProvider.Tracer(instrumentationScope),
		traced:  !isNopTracerProvider(o.TracerProvider),
		metered: !isNopMeterProvider(o.MeterProvider),
	}
	meter := o.MeterProvider.Meter(instrumentationScope)
	histograms := []struct {
		dst         *metrics.Float64Histogram
		name, about string
	}{
		{&t.callDuration, "client.call.duration", "Overall call duration (including retries and time to send or receive request and response body)"},
		{&t.serializeDuration, "client.call.serialization_duration", "The time it takes to serialize a message body"},
		{&t.resolveEndpointDuration, "client.call.resolve_endpoint_duration", "The time it takes to resolve an endpoint (endpoint resolver, not DNS) for the request"},
		{&t.resolveIdentityDuration, "client.call.auth.resolve_identity_duration", "The time taken to acquire an identity (AWS credentials, bearer token, etc) from an Identity Provider"},
		{&t.signingDuration, "client.call.auth.signing_duration", "The time it takes to sign a request"},
		{&t.deserializeDuration, "client.call.deserialization_duration", "The time it takes to deserialize a message body"},
		{&t.doRequestDuration, "client.http.do_request_duration", "Time spent doing an HTTP request"},
	}
	for _, h := range histograms {
		var err error
		*h.dst, err = meter.Float64Histogram(h.name, func(o *metrics.InstrumentOptions) {
			o.UnitLabel = "s"
			o.Description = h.about
		})
		if err != nil {
			return nil, fmt.Errorf("create metric %s: %w", h.name, err)
		}
	}
	return t, nil
}

func isNopTracerProvider(p tracing.TracerProvider) bool {
	switch p.(type) {
	case tracing.NopTracerProvider, *tracing.NopTracerProvider:
		return true
	}
	return false
}

func isNopMeterProvider(p metrics.MeterProvider) bool {
	switch p.(type) {
	case metrics.NopMeterProvider, *metrics.NopMeterProvider:
		return true
	}
	return false
}

// start returns the time a measured step starts: now when metrics are on,
// and no time at all otherwise, as since will not use it.
func (t *telemetry) start() time.Time {
	if !t.metered {
		return time.Time{}
	}
	return time.Now()
}

// since records the seconds elapsed since start on h, with the call's
// rpc.service and rpc.method, when metrics are on.
func (t *telemetry) since(ctx context.Context, h metrics.Float64Histogram, start time.Time) {
	if !t.metered {
		return
	}
	h.Record(ctx, time.Since(start).Seconds(), operationProperties(ctx))
}

func operationProperties(ctx context.Context) metrics.RecordMetricOption {
	return func(o *metrics.RecordMetricOptions) {
		o.Properties.Set("rpc.service", middleware.GetServiceID(ctx))
		o.Properties.Set("rpc.method", middleware.GetOperationName(ctx))
	}
}

// startCall opens the operation's span, named as in aws-sdk-go-v2
// ("AmplifyUIBuilder.ExchangeCodeForToken"), and starts its duration. The
// returned function ends both with the call's outcome.
func (t *telemetry) startCall(ctx context.Context, op *operation) (context.Context, func(middleware.Metadata, error)) {
	if !t.traced && !t.metered {
		return ctx, func(middleware.Metadata, error) {}
	}
	start := time.Now()
	ctx = tracing.WithOperationTracer(ctx, t.tracer)
	ctx, span := t.tracer.StartSpan(ctx, op.spanName, func(o *tracing.SpanOptions) {
		o.Kind = tracing.SpanKindClient
		o.Properties.Set("rpc.system", "aws-api")
		o.Properties.Set("rpc.method", op.name())
		o.Properties.Set("rpc.service", ServiceID)
	})
	return ctx, func(metadata middleware.Metadata, err error) {
		if t.traced {
			describeOutcome(span, metadata, err)
		}
		span.End()
		t.since(ctx, t.callDuration, start)
	}
}

// describeOutcome sets the request id, the HTTP status and the error, if
// any, on the operation's span. As in aws-sdk-go-v2, exception.type is the
// type of the error before it is wrapped in the *smithy.OperationError.
func describeOutcome(span tracing.Span, metadata middleware.Metadata, err error) {
	var respErr *awshttp.ResponseError
	hasRespErr := errors.As(err, &respErr)
	if id, ok := awsmiddleware.GetRequestIDMetadata(metadata); ok {
		span.SetProperty("aws.request_id", id)
	} else if hasRespErr && respErr.RequestID != "" {
		span.SetProperty("aws.request_id", respErr.RequestID)
	}
	if resp, ok := awsmiddleware.GetRawResponse(metadata).(*smithyhttp.Response); ok && resp.Response != nil {
		span.SetProperty("http.status_code", resp.StatusCode)
	} else if hasRespErr {
		span.SetProperty("http.status_code", respErr.HTTPStatusCode())
	}
	if err != nil {
		span.SetProperty("exception.type", fmt.Sprintf("%T", err))
		span.SetProperty("exception.message", err.Error())
		var apiErr smithy.APIError
		if errors.As(err, &apiErr) {
			span.SetProperty("api.error_code", apiErr.ErrorCode())
			span.SetProperty("api.error_message", apiErr.ErrorMessage())
			span.SetProperty("api.error_fault", apiErr.ErrorFault().String())
		}
		span.SetStatus(tracing.SpanStatusError)
	} else {
		span.SetStatus(tracing.SpanStatusOK)
	}
	span.SetProperty("error", err != nil)
}
