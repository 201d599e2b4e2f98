package observability_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go/metrics/smithyotelmetrics"
	"github.com/aws/smithy-go/tracing/smithyoteltracing"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/slogadapter"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// Wire the client into OpenTelemetry (traces and metrics, through smithy-go's
// adapters) and into a log/slog logger. In a service, the providers are the
// ones the service already exports with; here they are in memory.
func Example() {
	// A stand-in for the service.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("X-Amzn-Requestid", "example-request-id")
		_, _ = io.WriteString(w, `{"accessToken":"secret-access","expiresIn":3600,"refreshToken":"secret-refresh"}`)
	}))
	defer srv.Close()

	spans := tracetest.NewSpanRecorder()
	tracerProvider := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	reader := sdkmetric.NewManualReader()
	meterProvider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	client := amplifyuibuilder.New(amplifyuibuilder.Options{
		Region:         "us-east-1",
		BaseEndpoint:   aws.String(srv.URL),
		Credentials:    credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		TracerProvider: smithyoteltracing.Adapt(tracerProvider),
		MeterProvider:  smithyotelmetrics.Adapt(meterProvider),
		Logger:         slogadapter.New(logger),
		ClientLogMode:  aws.LogResponseWithBody,
	})
	_, err := client.ExchangeCodeForToken(context.Background(), &amplifyuibuilder.ExchangeCodeForTokenInput{
		Provider: types.TokenProvidersFigma,
		Request: &types.ExchangeCodeForTokenRequestBody{
			Code:        aws.String("code-from-figma"),
			RedirectUri: aws.String("https://example.com/callback"),
		},
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}

	for _, s := range spans.Ended() {
		if s.SpanKind().String() == "client" {
			fmt.Println("span:", s.Name())
		}
	}
	var rm metricdata.ResourceMetrics
	_ = reader.Collect(context.Background(), &rm)
	for _, m := range rm.ScopeMetrics[0].Metrics {
		if m.Name == "client.call.duration" || m.Name == "client.call.attempts" {
			fmt.Println("metric:", m.Name)
		}
	}
	var record struct {
		Msg       string `json:"msg"`
		Operation string `json:"aws.operation"`
		RequestID string `json:"aws.request_id"`
	}
	_ = json.Unmarshal(logs.Bytes(), &record)
	fmt.Println("log:", record.Operation, record.RequestID)
	fmt.Println("body logged redacted:", strings.Contains(record.Msg, `"accessToken":"[REDACTED]"`))
	fmt.Println("token in log:", strings.Contains(logs.String(), "secret-access"))

	// Unordered output:
	// span: AmplifyUIBuilder.ExchangeCodeForToken
	// metric: client.call.duration
	// metric: client.call.attempts
	// log: ExchangeCodeForToken example-request-id
	// body logged redacted: true
	// token in log: false
}
