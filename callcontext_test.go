package amplifyuibuilder

import (
	"context"
	"sync"
	"testing"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/tracing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/internal/redact"
)

type callerKey struct{}

type otherStackKey struct{}

// seenValues is what a middleware saw in its call's context.
type seenValues struct {
	smithyService, smithyOperation      string
	awsService, awsOperation, awsRegion string
	callerValue, otherStackValue        any
}

func see(ctx context.Context) seenValues {
	return seenValues{
		smithyService:   middleware.GetServiceID(ctx),
		smithyOperation: middleware.GetOperationName(ctx),
		awsService:      awsmiddleware.GetServiceID(ctx),
		awsOperation:    awsmiddleware.GetOperationName(ctx),
		awsRegion:       awsmiddleware.GetRegion(ctx),
		callerValue:     ctx.Value(callerKey{}),
		otherStackValue: middleware.GetStackValue(ctx, otherStackKey{}),
	}
}

// TestCallContextValues checks the values a call's middleware find in its
// context, built once per client: the caller's own values, none of the
// stack values the caller's context carried, the smithy-go service and
// operation from the start, and the aws-sdk-go-v2 service metadata from
// RegisterServiceMetadata on, whether nothing runs before it (the plan then
// adds its values once), or a middleware that leaves the context as it is,
// or one that changes it.
func TestCallContextValues(t *testing.T) {
	for _, tc := range []struct {
		name                    string
		probeBefore, wrapBefore bool
	}{
		{name: "nothing before RegisterServiceMetadata"},
		{name: "context unchanged before RegisterServiceMetadata", probeBefore: true},
		{name: "context changed before RegisterServiceMetadata", probeBefore: true, wrapBefore: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after seenValues
			recordAt := func(id string, pos middleware.RelativePosition, seen *seenValues, wrap bool) func(*middleware.Stack) error {
				return func(s *middleware.Stack) error {
					return s.Initialize.Insert(middleware.InitializeMiddlewareFunc(id+"Probe", func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (
						middleware.InitializeOutput, middleware.Metadata, error,
					) {
						*seen = see(ctx)
						if wrap {
							ctx = context.WithValue(ctx, otherStackKey{}, "not a stack value")
						}
						return next.HandleInitialize(ctx, in)
					}), id, pos)
				}
			}
			probes := []func(*middleware.Stack) error{recordAt("RegisterServiceMetadata", middleware.After, &after, false)}
			if tc.probeBefore {
				probes = append(probes, recordAt("RegisterServiceMetadata", middleware.Before, &before, tc.wrapBefore))
			}
			c, _ := setup(t, okTokens, WithAPIOptions(probes...))

			ctx := context.WithValue(context.Background(), callerKey{}, "from the caller")
			ctx = middleware.WithStackValue(ctx, otherStackKey{}, "another call's stack value")
			ctx = awsmiddleware.SetRegion(ctx, "another call's region")
			_, err := c.ExchangeCodeForToken(ctx, exchangeInput())
			require.NoError(t, err)

			if tc.probeBefore {
				assert.Equal(t, seenValues{
					smithyService: ServiceID, smithyOperation: "ExchangeCodeForToken",
					callerValue: "from the caller",
				}, before)
			}
			assert.Equal(t, seenValues{
				smithyService: ServiceID, smithyOperation: "ExchangeCodeForToken",
				awsService: ServiceID, awsOperation: "ExchangeCodeForToken", awsRegion: testRegion,
				callerValue: "from the caller",
			}, after)
		})
	}
}

// TestCallContextKeepsCancellation checks that a call's context, laid over
// the caller's, still ends when the caller's does.
func TestCallContextKeepsCancellation(t *testing.T) {
	c, rec := setup(t, okTokens)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.ExchangeCodeForToken(ctx, exchangeInput())
	require.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, rec.all())
}

// TestLogModeOffStillScrubsLines checks that with a log mode that logs
// nothing, a line that middleware still logs (here a stack function's)
// reaches the caller's logger, with the call's secrets removed, and that a
// context-aware logger still gets the call's context.
func TestLogModeOffStillScrubsLines(t *testing.T) {
	logLine := func(s *middleware.Stack) error {
		return s.Finalize.Add(middleware.FinalizeMiddlewareFunc("logSomething", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
			middleware.FinalizeOutput, middleware.Metadata, error,
		) {
			middleware.GetLogger(ctx).Logf(logging.Warn, "about to send code %s", "code-123")
			return next.HandleFinalize(ctx, in)
		}), middleware.After)
	}
	for _, contextAware := range []bool{false, true} {
		capture := &captureLogger{}
		var logger logging.Logger = capture
		if contextAware {
			logger = contextLogger{captureLogger: capture}
		}
		c, _ := setup(t, okTokens, WithAPIOptions(logLine), func(o *Options) { o.Logger = logger })
		ctx := context.WithValue(context.Background(), logTagKey{}, "caller's tag")
		_, err := c.ExchangeCodeForToken(ctx, exchangeInput())
		require.NoError(t, err)

		want := "WARN about to send code " + redact.Marker
		if contextAware {
			want = "WARN [caller's tag] about to send code " + redact.Marker
		}
		assert.Equal(t, []string{want}, capture.all(), "context-aware logger: %v", contextAware)
	}
}

// namingTracer records the names of the spans it starts.
type namingTracer struct {
	mu    sync.Mutex
	names []string
}

func (r *namingTracer) StartSpan(ctx context.Context, name string, _ ...tracing.SpanOption) (context.Context, tracing.Span) {
	r.mu.Lock()
	r.names = append(r.names, name)
	r.mu.Unlock()
	_, span := tracing.NopTracerProvider{}.Tracer("").StartSpan(ctx, name)
	return ctx, span
}

func (r *namingTracer) started() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.names...)
}

// A call's spans go to the client's tracer, the no-op one included, never
// to an operation tracer the caller's context carries, as with an
// aws-sdk-go-v2 client: the context of another client's call around this one
// carries that client's tracer.
func TestCallsUseTheirOwnTracer(t *testing.T) {
	outer := &namingTracer{}
	ctx := tracing.WithOperationTracer(context.Background(), outer)

	c, _ := setup(t, failThenOK(1, 503, ""))
	_, err := c.ExchangeCodeForToken(ctx, exchangeInput())
	require.NoError(t, err)
	assert.Empty(t, outer.started(), "an untraced call starts no span on the caller's tracer")

	own := &namingTracer{}
	c, _ = setup(t, failThenOK(1, 503, ""), func(o *Options) { o.TracerProvider = namingTracerProvider{own} })
	_, err = c.ExchangeCodeForToken(ctx, exchangeInput())
	require.NoError(t, err)
	assert.Empty(t, outer.started())
	assert.Contains(t, own.started(), "ComputePayloadSHA256", "a traced call starts its spans on its own tracer")
	assert.Contains(t, own.started(), "DoHTTPRequest")
}

type namingTracerProvider struct{ tracer *namingTracer }

func (p namingTracerProvider) Tracer(string, ...tracing.TracerOption) tracing.Tracer { return p.tracer }
