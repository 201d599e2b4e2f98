package amplifyuibuilder

import (
	"context"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
)

// Every call starts by putting the same values into its context: a fresh set
// of smithy-go stack values naming the service and the operation, and, in
// the first middleware, the aws-sdk-go-v2 service metadata (service id,
// region, operation name). Each value costs a context node, a stack-value
// node and often a boxed string: 14 allocations per call for values that
// depend only on the options. A plan makes them once, in a
// context of their own, and a call lays that context over the caller's with
// one allocation.

// callValues is a call's context: the values a plan made once, over the
// caller's context, which keeps its deadline, cancellation and values.
type callValues struct {
	context.Context                 // the caller's
	values          context.Context // made once per plan, from context.Background()
}

// Value answers from the plan's values first. They hold a fresh set of
// stack values, which hides any the caller's context carries, exactly as
// middleware.ClearStackValues would.
func (c *callValues) Value(key any) any {
	if v := c.values.Value(key); v != nil {
		return v
	}
	return c.Context.Value(key)
}

// newCallValues makes the values every call of op starts with: what
// invoke sets before the stack runs.
func newCallValues(op *operation) context.Context {
	values := middleware.ClearStackValues(context.Background())
	values = middleware.WithServiceID(values, ServiceID)
	return middleware.WithOperationName(values, op.name)
}

const serviceMetadataID = "RegisterServiceMetadata"

// freezeServiceMetadata replaces the SDK's RegisterServiceMetadata
// middleware, once the stack functions are applied, with one that gives a
// call the same stack values from values made once. It is left alone if a
// stack function replaced it.
func freezeServiceMetadata(stack *middleware.Stack, start context.Context) error {
	m, ok := stack.Initialize.Get(serviceMetadataID)
	if !ok {
		return nil
	}
	sdk, ok := m.(*awsmiddleware.RegisterServiceMetadata)
	if !ok {
		return nil
	}
	// Let the SDK's middleware add its values to the plan's.
	var registered context.Context
	_, _, err := sdk.HandleInitialize(start, middleware.InitializeInput{}, middleware.InitializeHandlerFunc(
		func(ctx context.Context, _ middleware.InitializeInput) (middleware.InitializeOutput, middleware.Metadata, error) {
			registered = ctx
			return middleware.InitializeOutput{}, middleware.Metadata{}, nil
		}))
	if err != nil {
		return err
	}
	_, err = stack.Initialize.Swap(serviceMetadataID, &frozenServiceMetadata{sdk: sdk, start: start, registered: registered})
	return err
}

// frozenServiceMetadata does what the SDK's RegisterServiceMetadata does. When
// the call's context is still the one invoke made, it swaps the plan's values
// for the same values plus the service metadata; when a middleware before it
// changed the context, it lets the SDK's middleware add the values to it.
type frozenServiceMetadata struct {
	sdk        *awsmiddleware.RegisterServiceMetadata
	start      context.Context // the plan's values, as invoke lays them
	registered context.Context // start with the service metadata added
}

func (*frozenServiceMetadata) ID() string { return serviceMetadataID }

func (m *frozenServiceMetadata) HandleInitialize(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (
	middleware.InitializeOutput, middleware.Metadata, error,
) {
	if c, ok := ctx.(*callValues); ok && c.values == m.start {
		return next.HandleInitialize(&callValues{Context: c.Context, values: m.registered}, in)
	}
	return m.sdk.HandleInitialize(ctx, in, next)
}
