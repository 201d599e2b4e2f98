package amplifyuibuilder

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/aws/smithy-go/metrics"
	"github.com/aws/smithy-go/tracing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests record what the client hands to smithy-go's tracing and metrics
// interfaces, the ones OpenTelemetry plugs into through smithy-go's adapters
// (examples/observability shows that wiring). Recording at the interfaces
// keeps the OpenTelemetry SDK out of this module's requirements, and so out
// of every consumer's go.sum.

// telemetryRecorders holds the spans and the metrics of one client.
type telemetryRecorders struct {
	spans   *spanRecorder
	metrics *metricRecorder
}

func withTelemetry(t *testing.T) (*telemetryRecorders, func(*Options)) {
	t.Helper()
	r := &telemetryRecorders{spans: &spanRecorder{}, metrics: &metricRecorder{instruments: map[string]*recordedInstrument{}}}
	return r, func(o *Options) {
		o.TracerProvider = r.spans
		o.MeterProvider = r.metrics
	}
}

// spanRecorder is a tracing.TracerProvider (and its Tracer) that keeps each
// span as it was when it ended, as an exporter receives it. A span started
// within another (tracing.GetSpan of the context) joins its trace.
type spanRecorder struct {
	mu     sync.Mutex
	lastID int
	ended  []endedSpan
}

// endedSpan is a span as it ended: what was set on it after End is not
// there, as in OpenTelemetry.
type endedSpan struct {
	name    string
	kind    tracing.SpanKind
	status  tracing.SpanStatus
	props   map[string]any
	traceID string
}

func (r *spanRecorder) Tracer(string, ...tracing.TracerOption) tracing.Tracer { return r }

func (r *spanRecorder) StartSpan(ctx context.Context, name string, opts ...tracing.SpanOption) (context.Context, tracing.Span) {
	var o tracing.SpanOptions
	for _, opt := range opts {
		opt(&o)
	}
	r.mu.Lock()
	r.lastID++
	s := &liveSpan{rec: r, id: fmt.Sprint(r.lastID), ended: endedSpan{name: name, kind: o.Kind, props: map[string]any{}}}
	r.mu.Unlock()
	s.ended.traceID = "trace-of-" + s.id
	if parent, ok := tracing.GetSpan(ctx); ok {
		s.ended.traceID = parent.Context().TraceID
	}
	for k, v := range o.Properties.Values() {
		s.SetProperty(k, v)
	}
	return tracing.WithSpan(ctx, s), s
}

// liveSpan is a span until End hands a copy of it to its recorder.
type liveSpan struct {
	rec   *spanRecorder
	id    string
	done  bool
	ended endedSpan
}

func (s *liveSpan) Name() string { return s.ended.name }

func (s *liveSpan) Context() tracing.SpanContext {
	return tracing.SpanContext{TraceID: s.ended.traceID, SpanID: s.id}
}

// AddEvent is not recorded: the client adds no event.
func (s *liveSpan) AddEvent(string, ...tracing.EventOption) {}

func (s *liveSpan) SetStatus(status tracing.SpanStatus) {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	if !s.done {
		s.ended.status = status
	}
}

func (s *liveSpan) SetProperty(k, v any) {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	if !s.done {
		s.ended.props[fmt.Sprint(k)] = v
	}
}

func (s *liveSpan) End() {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	if s.done {
		return
	}
	s.done = true
	e := s.ended
	e.props = make(map[string]any, len(s.ended.props))
	for k, v := range s.ended.props {
		e.props[k] = v
	}
	s.rec.ended = append(s.rec.ended, e)
}

func (r *telemetryRecorders) endedSpans() []endedSpan {
	r.spans.mu.Lock()
	defer r.spans.mu.Unlock()
	return append([]endedSpan(nil), r.spans.ended...)
}

func (r *telemetryRecorders) span(t *testing.T, name string) endedSpan {
	t.Helper()
	for _, s := range r.endedSpans() {
		if s.name == name {
			return s
		}
	}
	require.Failf(t, "span not found", "no ended span named %q", name)
	return endedSpan{}
}

func (r *telemetryRecorders) count(name string) int {
	n := 0
	for _, s := range r.endedSpans() {
		if s.name == name {
			n++
		}
	}
	return n
}

// metricRecorder is a metrics.MeterProvider (and its Meter) that keeps every
// measurement of each synchronous instrument, by instrument name, with the
// kind the instrument was made as.
type metricRecorder struct {
	mu          sync.Mutex
	instruments map[string]*recordedInstrument
}

type recordedInstrument struct {
	kind   string // the Meter method that made it: "Int64Counter", "Float64Histogram", ...
	points []measurement
}

type measurement struct {
	value any // int64 or float64, as the instrument's kind says
	props map[string]any
}

func (r *metricRecorder) Meter(string, ...metrics.MeterOption) metrics.Meter {
	return recordingMeter{r}
}

type recordingMeter struct{ r *metricRecorder }

// instrument is every synchronous instrument of one number type: each
// measurement, whatever the method's name, is recorded under its name.
type instrument[T int64 | float64] struct {
	r    *metricRecorder
	name string
}

func (i instrument[T]) Add(_ context.Context, v T, opts ...metrics.RecordMetricOption) {
	i.r.record(i.name, v, opts)
}

func (i instrument[T]) Record(_ context.Context, v T, opts ...metrics.RecordMetricOption) {
	i.r.record(i.name, v, opts)
}

func (i instrument[T]) Sample(_ context.Context, v T, opts ...metrics.RecordMetricOption) {
	i.r.record(i.name, v, opts)
}

func (r *metricRecorder) record(name string, v any, opts []metrics.RecordMetricOption) {
	var o metrics.RecordMetricOptions
	for _, opt := range opts {
		opt(&o)
	}
	props := map[string]any{}
	for k, v := range o.Properties.Values() {
		props[fmt.Sprint(k)] = v
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	in := r.instruments[name]
	in.points = append(in.points, measurement{value: v, props: props})
}

// make registers an instrument; one name made as two kinds is recorded as
// neither, so that a test that reads it fails.
func (m recordingMeter) make(name, kind string) {
	m.r.mu.Lock()
	defer m.r.mu.Unlock()
	if in, ok := m.r.instruments[name]; ok {
		if in.kind != kind {
			in.kind = fmt.Sprintf("conflict: %s and %s", in.kind, kind)
		}
		return
	}
	m.r.instruments[name] = &recordedInstrument{kind: kind}
}

func int64Instrument(m recordingMeter, name, kind string) instrument[int64] {
	m.make(name, kind)
	return instrument[int64]{m.r, name}
}

func float64Instrument(m recordingMeter, name, kind string) instrument[float64] {
	m.make(name, kind)
	return instrument[float64]{m.r, name}
}

func (m recordingMeter) Int64Counter(name string, _ ...metrics.InstrumentOption) (metrics.Int64Counter, error) {
	return int64Instrument(m, name, "Int64Counter"), nil
}

func (m recordingMeter) Int64UpDownCounter(name string, _ ...metrics.InstrumentOption) (metrics.Int64UpDownCounter, error) {
	return int64Instrument(m, name, "Int64UpDownCounter"), nil
}

func (m recordingMeter) Int64Gauge(name string, _ ...metrics.InstrumentOption) (metrics.Int64Gauge, error) {
	return int64Instrument(m, name, "Int64Gauge"), nil
}

func (m recordingMeter) Int64Histogram(name string, _ ...metrics.InstrumentOption) (metrics.Int64Histogram, error) {
	return int64Instrument(m, name, "Int64Histogram"), nil
}

func (m recordingMeter) Float64Counter(name string, _ ...metrics.InstrumentOption) (metrics.Float64Counter, error) {
	return float64Instrument(m, name, "Float64Counter"), nil
}

func (m recordingMeter) Float64UpDownCounter(name string, _ ...metrics.InstrumentOption) (metrics.Float64UpDownCounter, error) {
	return float64Instrument(m, name, "Float64UpDownCounter"), nil
}

func (m recordingMeter) Float64Gauge(name string, _ ...metrics.InstrumentOption) (metrics.Float64Gauge, error) {
	return float64Instrument(m, name, "Float64Gauge"), nil
}

func (m recordingMeter) Float64Histogram(name string, _ ...metrics.InstrumentOption) (metrics.Float64Histogram, error) {
	return float64Instrument(m, name, "Float64Histogram"), nil
}

// errAsyncInstrument: the client makes no asynchronous instrument, and
// this recorder does not run callbacks. Should one appear, making the
// client fails loudly rather than the recorder missing its values.
var errAsyncInstrument = errors.New("telemetry_test: asynchronous instruments are not recorded")

func (recordingMeter) Int64AsyncCounter(string, metrics.Int64Callback, ...metrics.InstrumentOption) (metrics.AsyncInstrument, error) {
	return nil, errAsyncInstrument
}

func (recordingMeter) Int64AsyncUpDownCounter(string, metrics.Int64Callback, ...metrics.InstrumentOption) (metrics.AsyncInstrument, error) {
	return nil, errAsyncInstrument
}

func (recordingMeter) Int64AsyncGauge(string, metrics.Int64Callback, ...metrics.InstrumentOption) (metrics.AsyncInstrument, error) {
	return nil, errAsyncInstrument
}

func (recordingMeter) Float64AsyncCounter(string, metrics.Float64Callback, ...metrics.InstrumentOption) (metrics.AsyncInstrument, error) {
	return nil, errAsyncInstrument
}

func (recordingMeter) Float64AsyncUpDownCounter(string, metrics.Float64Callback, ...metrics.InstrumentOption) (metrics.AsyncInstrument, error) {
	return nil, errAsyncInstrument
}

func (recordingMeter) Float64AsyncGauge(string, metrics.Float64Callback, ...metrics.InstrumentOption) (metrics.AsyncInstrument, error) {
	return nil, errAsyncInstrument
}

// metric returns the named instrument's measurements. As with an
// OpenTelemetry reader, an instrument that recorded nothing is not found.
func (r *telemetryRecorders) metric(t *testing.T, name string) recordedInstrument {
	t.Helper()
	r.metrics.mu.Lock()
	defer r.metrics.mu.Unlock()
	in, ok := r.metrics.instruments[name]
	if !ok || len(in.points) == 0 {
		require.Failf(t, "metric not found", "no measurement of a metric named %q", name)
	}
	return recordedInstrument{kind: in.kind, points: append([]measurement(nil), in.points...)}
}

// histogramCount is the number of measurements of a float64 histogram, all
// of which carry the one property set it returns.
func histogramCount(t *testing.T, in recordedInstrument) (uint64, map[string]any) {
	t.Helper()
	require.Equal(t, "Float64Histogram", in.kind)
	for _, p := range in.points {
		require.Equal(t, in.points[0].props, p.props, "measurements with different properties")
	}
	return uint64(len(in.points)), in.points[0].props
}

func counterSum(t *testing.T, in recordedInstrument) int64 {
	t.Helper()
	require.Equal(t, "Int64Counter", in.kind)
	var total int64
	for _, p := range in.points {
		total += p.value.(int64)
	}
	return total
}

func TestTelemetrySuccess(t *testing.T) {
	forEachOperation(t, func(t *testing.T, op tokenOperation) {
		rec, telemetryOpts := withTelemetry(t)
		c, _ := setup(t, okTokens, telemetryOpts)
		_, err := op.run(t, c)
		require.NoError(t, err)

		span := rec.span(t, "AmplifyUIBuilder."+op.name)
		assert.Equal(t, tracing.SpanKindClient, span.kind)
		assert.Equal(t, tracing.SpanStatusOK, span.status)
		a := span.props
		assert.Equal(t, "aws-api", a["rpc.system"])
		assert.Equal(t, "AmplifyUIBuilder", a["rpc.service"])
		assert.Equal(t, op.name, a["rpc.method"])
		assert.Equal(t, "req-1234", a["aws.request_id"])
		assert.Equal(t, 200, a["http.status_code"])
		assert.Equal(t, false, a["error"])

		// The attempt and its HTTP request are children of the operation.
		attempt := rec.span(t, "Attempt")
		assert.Equal(t, 1, attempt.props["operation.attempt"])
		assert.Equal(t, "req-1234", attempt.props["aws.request_id"])
		assert.Equal(t, span.traceID, attempt.traceID)
		httpSpan := rec.span(t, "DoHTTPRequest")
		assert.Equal(t, 200, httpSpan.props["http.status_code"])
		for _, name := range []string{"RetryLoop", "OperationSerializer", "ResolveAuthScheme", "GetIdentity", "ResolveEndpoint", "ComputePayloadSHA256", "SignRequest", "OperationDeserializer"} {
			rec.span(t, name)
		}

		count, props := histogramCount(t, rec.metric(t, "client.call.duration"))
		assert.Equal(t, uint64(1), count)
		assert.Equal(t, op.name, props["rpc.method"])
		assert.Equal(t, "AmplifyUIBuilder", props["rpc.service"])
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
		rec, telemetryOpts := withTelemetry(t)
		c, _ := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
			w.Header().Set("X-Amzn-Errortype", "InvalidParameterException")
			jsonResponse(w, 400, `{"message":"code already used"}`)
		}, telemetryOpts)
		_, err := op.run(t, c)
		require.Error(t, err)

		span := rec.span(t, "AmplifyUIBuilder."+op.name)
		assert.Equal(t, tracing.SpanStatusError, span.status)
		a := span.props
		assert.Equal(t, true, a["error"])
		assert.Equal(t, "InvalidParameterException", a["api.error_code"])
		assert.Equal(t, "code already used", a["api.error_message"])
		assert.Equal(t, "client", a["api.error_fault"])
		assert.Equal(t, "*http.ResponseError", a["exception.type"])
		assert.Equal(t, 400, a["http.status_code"])
		assert.Equal(t, "req-1234", a["aws.request_id"])
		assert.Equal(t, int64(1), counterSum(t, rec.metric(t, "client.call.errors")))
	})
}

func TestTelemetryRetried(t *testing.T) {
	rec, telemetryOpts := withTelemetry(t)
	c, _ := setup(t, func(w http.ResponseWriter, attempt int, req captured) {
		if attempt == 1 {
			jsonResponse(w, 503, `{"message":"try later"}`)
			return
		}
		okTokens(w, attempt, req)
	}, telemetryOpts)
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
