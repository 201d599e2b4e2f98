// Package slogadapter routes the client's log lines into a log/slog logger,
// so a service keeps one structured log. Each record carries the service,
// the operation and, once a response arrived, its request id as attributes,
// and the call's context, so handlers that correlate with traces can.
//
//	client := amplifyuibuilder.New(amplifyuibuilder.Options{
//		Logger:        slogadapter.New(slog.Default()),
//		ClientLogMode: aws.LogRetries | aws.LogResponse,
//	})
package slogadapter

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"

	"github.com/uibuilder-go/amplifyuibuilder/internal/calllog"
)

// Logger is a smithy-go logging.Logger that writes to a *slog.Logger.
type Logger struct {
	logger *slog.Logger
	ctx    context.Context
}

// New returns a Logger writing to l; a nil l means slog.Default().
func New(l *slog.Logger) *Logger {
	if l == nil {
		l = slog.Default()
	}
	return &Logger{logger: l, ctx: context.Background()}
}

// Logf writes one record: smithy-go's Warn classification at slog's Warn
// level, everything else (the client logs at Debug) at Debug.
func (l *Logger) Logf(classification logging.Classification, format string, v ...any) {
	level := slog.LevelDebug
	if classification == logging.Warn {
		level = slog.LevelWarn
	}
	if !l.logger.Enabled(l.ctx, level) {
		return
	}
	l.logger.Log(l.ctx, level, fmt.Sprintf(format, v...))
}

// WithContext returns a Logger whose records carry the call's service,
// operation and request id. smithy-go calls it for each line a call logs.
func (l *Logger) WithContext(ctx context.Context) logging.Logger {
	attrs := make([]any, 0, 3)
	if service := middleware.GetServiceID(ctx); service != "" {
		attrs = append(attrs, slog.String("aws.service", service))
	}
	if operation := middleware.GetOperationName(ctx); operation != "" {
		attrs = append(attrs, slog.String("aws.operation", operation))
	}
	if id := calllog.From(ctx).RequestID(); id != "" {
		attrs = append(attrs, slog.String("aws.request_id", id))
	}
	return &Logger{logger: l.logger.With(attrs...), ctx: ctx}
}

var _ logging.ContextLogger = (*Logger)(nil)
