package amplifyuibuilder

import (
	"context"
	"net/http"
	"testing"

	"github.com/aws/smithy-go/metrics/smithyotelmetrics"
	"github.com/aws/smithy-go/tracing/smithyoteltracing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// otelRecorders wires in-memory OpenTelemetry exporters into a client's
// options.
type otelRecorders struct {
	spans   *tracetest.SpanRecorder
	metrics *sdkmetric.ManualReader
}

func withOTel(t *testing.T) (*otelRecorders, func(*Options)) {
	r := &otelRecorders{spans: tracetest.NewSpanRecorder(), metrics: sdkmetric.NewManualReader()}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(r.spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(r.metrics))
	t.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	return r, func(o *Options) {
		o.TracerProvider = smithyoteltracing.Adapt(tp)
		o.MeterProvider = smithyotelmetrics.Adapt(mp)
	}
}

func (r *otelRecorders) span(t *testing.T, name string) sdktrace.ReadOnlySpan {
	t.Helper()
	for _, s := range r.spans.Ended() {
		if s.Name() == name {
			return s
		}
	}
	require.Failf(t, "span not found", "no ended span named %q", name)
	return nil
}

func (r *otelRecorders) count(name string) int {
	n := 0
	for _, s := range r.spans.Ended() {
		if s.Name() == name {
			n++
		}
	}
	return n
}

func attrs(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

// metric returns the data points of the named instrument, by kind.
func (r *otelRecorders) metric(t *testing.T, name string) metricdata.Aggregation {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, r.metrics.Collect(context.Background(), &rm))
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name == name {
				return m.Data
			}
		}
	}
	require.Failf(t, "metric not found", "no metric named %q", name)
	return nil
}

func histogramCount(t *testing.T, data metricdata.Aggregation) (uint64, attribute.Set) {
	t.Helper()
	h, ok := data.(metricdata.Histogram[float64])
	require.True(t, ok, "%T is not a float64 histogram", data)
	require.Len(t, h.DataPoints, 1)
	return h.DataPoints[0].Count, h.DataPoints[0].Attributes
}

func counterSum(t *testing.T, data metricdata.Aggregation) int64 {
	t.Helper()
	s, ok := data.(metricdata.Sum[int64])
	require.True(t, ok, "%T is not an int64 sum", data)
	var total int64
	for _, p := range s.DataPoints {
		total += p.Value
	}
	return total
}

func TestTelemetrySuccess(t *testing.T) {
	forEachOperation(t, func(t *testing.T, op tokenOperation) {
		rec, otelOpts := withOTel(t)
		c, _ := setup(t, okTokens, otelOpts)
		_, err := op.run(t, c)
		require.NoError(t, err)

		span := rec.span(t, "AmplifyUIBuilder."+op.name)
		assert.Equal(t, trace.SpanKindClient, span.SpanKind())
		assert.Equal(t, codes.Ok, span.Status().Code)
		a := attrs(span)
		assert.Equal(t, "aws-api", a["rpc.system"].AsString())
		assert.Equal(t, "AmplifyUIBuilder", a["rpc.service"].AsString())
		assert.Equal(t, op.name, a["rpc.method"].AsString())
		assert.Equal(t, "req-1234", a["aws.request_id"].AsString())
		assert.Equal(t, int64(200), a["http.status_code"].AsInt64())
		assert.False(t, a["error"].AsBool())

		// The attempt and its HTTP request are children of the operation.
		attempt := rec.span(t, "Attempt")
		assert.Equal(t, int64(1), attrs(attempt)["operation.attempt"].AsInt64())
		assert.Equal(t, "req-1234", attrs(attempt)["aws.request_id"].AsString())
		assert.Equal(t, span.SpanContext().TraceID(), attempt.SpanContext().TraceID())
		httpSpan := rec.span(t, "DoHTTPRequest")
		assert.Equal(t, int64(200), attrs(httpSpan)["http.status_code"].AsInt64())
		for _, name := range []string{"RetryLoop", "OperationSerializer", "ResolveAuthScheme", "GetIdentity", "ResolveEndpoint", "ComputePayloadSHA256", "SignRequest", "OperationDeserializer"} {
			rec.span(t, name)
		}

		count, set := histogramCount(t, rec.metric(t, "client.call.duration"))
		assert.Equal(t, uint64(1), count)
		method, _ := set.Value("rpc.method")
		assert.Equal(t, op.name, method.AsString())
		service, _ := set.Value("rpc.service")
		assert.Equal(t, "AmplifyUIBuilder", service.AsString())
		assert.Equal(t, int64(1), counterSum(t, rec.metric(t, "client.call.attempts")))
		attemptCount, _ := histogramCount(t, rec.metric(t, "client.call.attempt_duration"))
		assert.Equal(t, uint64(1), attemptCount)
		for _, name := range []string{"client.call.serialization_duration", "client.call.deserialization_duration",
			"client.call.resolve_endpoint_duration", "client.call.auth.signing_duration", "client.call.auth.resolve_identity_duration"} {
			n, _ := histogramCount(t, rec.metric(t, name))
			assert.Equal(t, uint64(1), n, name)
		}
	})
}

func TestTelemetryError(t *testing.T) {
	forEachOperation(t, func(t *testing.T, op tokenOperation) {
		rec, otelOpts := withOTel(t)
		c, _ := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
			w.Header().Set("X-Amzn-Errortype", "InvalidParameterException")
			jsonResponse(w, 400, `{"message":"code already used"}`)
		}, otelOpts)
		_, err := op.run(t, c)
		require.Error(t, err)

		span := rec.span(t, "AmplifyUIBuilder."+op.name)
		assert.Equal(t, codes.Error, span.Status().Code)
		a := attrs(span)
		assert.True(t, a["error"].AsBool())
		assert.Equal(t, "InvalidParameterException", a["api.error_code"].AsString())
		assert.Equal(t, "code already used", a["api.error_message"].AsString())
		assert.Equal(t, "client", a["api.error_fault"].AsString())
		assert.Equal(t, "*http.ResponseError", a["exception.type"].AsString())
		assert.Equal(t, int64(400), a["http.status_code"].AsInt64())
		assert.Equal(t, "req-1234", a["aws.request_id"].AsString())
		assert.Equal(t, int64(1), counterSum(t, rec.metric(t, "client.call.errors")))
	})
}

func TestTelemetryRetried(t *testing.T) {
	rec, otelOpts := withOTel(t)
	c, _ := setup(t, func(w http.ResponseWriter, attempt int, req captured) {
		if attempt == 1 {
			jsonResponse(w, 503, `{"message":"try later"}`)
			return
		}
		okTokens(w, attempt, req)
	}, otelOpts)
	_, err := exchange(t, c, exchangeInput())
	require.NoError(t, err)

	assert.Equal(t, 1, rec.count("AmplifyUIBuilder.ExchangeCodeForToken"))
	assert.Equal(t, 2, rec.count("Attempt"))
	assert.Equal(t, 2, rec.count("DoHTTPRequest"))
	assert.Equal(t, int64(2), counterSum(t, rec.metric(t, "client.call.attempts")))
	assert.Equal(t, int64(1), counterSum(t, rec.metric(t, "client.call.errors")))
	count, _ := histogramCount(t, rec.metric(t, "client.call.duration"))
	assert.Equal(t, uint64(1), count)
}
