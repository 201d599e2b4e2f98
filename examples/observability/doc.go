// Package observability shows how to wire an amplifyuibuilder client into
// OpenTelemetry, through smithy-go's adapters (smithyoteltracing.Adapt and
// smithyotelmetrics.Adapt), and into log/slog: see its Example.
//
// It is a module of its own, so that the OpenTelemetry SDK it needs is not a
// requirement of github.com/uibuilder-go/amplifyuibuilder and never reaches
// the go.sum of a module that uses the client.
package observability
