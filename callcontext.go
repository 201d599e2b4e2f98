package amplifyuibuilder

import (
	"context"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"
)

// Every call starts by putting the same values into its context: a fresh set
// of smithy-go stack values naming the service and the operation, the
// logger, and, in the first middleware, the aws-sdk-go-v2 service metadata
// (service id, region, operation name). Each value costs a context node, a
// stack-value node and often a boxed string: 15 allocations per call for
// values that depend only on the options. A plan makes them once, in a
// context of their own (the service metadata too, when nothing runs before
// its middleware: hoistServiceMetadata), and a call lays that context over
// the caller's in one node, which also carries what is the call's own: its
// secrets and its scrubbing logger.

// callValues is a call's context: the values a plan made once, and the
// call's own, over the caller's context, which keeps its deadline,
// cancellation and values.
type callValues struct {
	context.Context                 // the caller's
	values          context.Context // made once per plan, from context.Background()
	secrets         *callSecrets
	logger          logging.Logger // the call's scrubbing logger, when planLogger hands it out
}

// callLoggerKey finds the call's logger for planLogger.
type callLoggerKey struct{}

// Value answers the call's own values, then from the plan's values. They
// hold a fresh set of stack values, which hides any the caller's context
// carries, exactly as middleware.ClearStackValues would.
func (c *callValues) Value(key any) any {
	switch key.(type) {
	case callSecretsKey:
		return c.secrets
	case callLoggerKey:
		return c.logger
	}
	if v := c.values.Value(key); v != nil {
		return v
	}
	return c.Context.Value(key)
}

// newCallContext returns the context a call of plan runs in.
func newCallContext(ctx context.Context, plan *callPlan) context.Context {
	c := &callValues{Context: ctx, values: plan.values, secrets: newCallSecrets()}
	if plan.logMode != 0 {
		return withCallLog(c, plan.logger)
	}
	c.logger = c.secrets.logger(plan.logger)
	return c
}

// newCallValues makes the values every call of op starts with.
func newCallValues(op *operation, o Options) context.Context {
	values := middleware.ClearStackValues(context.Background())
	values = middleware.WithServiceID(values, ServiceID)
	values = middleware.WithOperationName(values, op.name)
	if o.ClientLogMode == 0 {
		// With logging on, each call sets a logger of its own (withCallLog).
		values = middleware.SetLogger(values, planLogger{})
	}
	return values
}

// planLogger is the logger in a plan's values when the log mode logs
// nothing but the caller's logger may still be given lines (by middleware,
// or warnings): it hands each call the call's own scrubbing logger.
// middleware.GetLogger always asks it WithContext; on its own it has no call
// and so no logger, and drops what it is given.
type planLogger struct{}

func (planLogger) Logf(logging.Classification, string, ...any) {}

func (planLogger) WithContext(ctx context.Context) logging.Logger {
	if l, ok := ctx.Value(callLoggerKey{}).(logging.Logger); ok && l != nil {
		return logging.WithContext(ctx, l)
	}
	return logging.Nop{}
}

const serviceMetadataID = "RegisterServiceMetadata"

// hoistServiceMetadata moves the work of the SDK's RegisterServiceMetadata
// middleware from every call to the plan, once the stack functions are
// applied: when it is still the first middleware of a call, so that nothing
// runs before it that could see the context without its values, it is taken
// out of the stack and its values are added to the plan's, which every call
// starts from. Otherwise (a stack function, an interceptor or a
// WithSigV4Signing* option placed a middleware before it, or put one of its
// own in its place) it stays, and adds the values on each call as in
// aws-sdk-go-v2. It returns the values calls start from.
func hoistServiceMetadata(stack *middleware.Stack, values context.Context) (context.Context, error) {
	if ids := stack.Initialize.List(); len(ids) == 0 || ids[0] != serviceMetadataID {
		return values, nil
	}
	sdk, ok := stillSDKMiddleware[*awsmiddleware.RegisterServiceMetadata](stack.Initialize.Get, serviceMetadataID)
	if !ok {
		return values, nil
	}
	registered := values
	_, _, err := sdk.HandleInitialize(values, middleware.InitializeInput{}, middleware.InitializeHandlerFunc(
		func(ctx context.Context, _ middleware.InitializeInput) (middleware.InitializeOutput, middleware.Metadata, error) {
			registered = ctx
			return middleware.InitializeOutput{}, middleware.Metadata{}, nil
		}))
	if err != nil {
		return nil, err
	}
	if _, err := stack.Initialize.Remove(serviceMetadataID); err != nil {
		return nil, err
	}
	return registered, nil
}
