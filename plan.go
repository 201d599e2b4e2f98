package amplifyuibuilder

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// A call plan is built once per client and operation, in New (and once per
// call for a call with option functions): the middleware stack of the
// operation, in the five smithy steps and with the IDs and order of the
// aws-sdk-go-v2 generated clients, the caller's APIOptions applied to it,
// then frozen: what depends only on the options is computed now rather than
// on every call, and the stack is linked into a fixed chain (chain.go).
//
// One plan serves any number of concurrent calls, so every middleware in
// it follows these rules:
//
//   - It keeps no per-call state in its own fields. What a call needs
//     between middleware travels in the context: smithy-go stack values,
//     the v4 payload hash, or the call's state (callcontext.go).
//   - It treats the request and the response as its own to change, never
//     what it was built with: shared values (a header slice, a fixed
//     endpoint) are copied or replaced, not written in place.
//   - What it precomputes depends only on the options it was built from.
//   - Freezing replaces an SDK middleware only while it is still the SDK's
//     type under its ID and in its place (stillSDKMiddleware): an APIOption
//     that removed, swapped or wrapped it keeps what it put there.

// callPlan is everything a call of one operation needs that depends only on
// the options: the linked middleware chain and the telemetry instruments.
type callPlan struct {
	values    context.Context // what every call's context starts with
	handler   middleware.Handler
	telemetry *telemetry
	logger    logging.Logger
	logMode   aws.ClientLogMode
	err       error // why the plan could not be built; every call returns it
}

// newCallPlan builds the plan of op for the options o.
func (c *Client) newCallPlan(op *operation, o Options) *callPlan {
	t, err := newTelemetry(o)
	if err != nil {
		return &callPlan{err: err}
	}
	handler, values, err := c.buildHandler(op, o, t)
	return &callPlan{values: values, handler: handler, telemetry: t, logger: o.Logger, logMode: o.ClientLogMode, err: err}
}

// buildHandler assembles the middleware stack of one operation, applies the
// caller's APIOptions to it, freezes it, and links the result into the chain
// that every call of the plan walks. It also returns the context values every
// call starts with.
func (c *Client) buildHandler(op *operation, o Options, t *telemetry) (middleware.Handler, context.Context, error) {
	stack := middleware.NewStack(op.name(), func() any { return newRequest(context.Background()) })
	authScheme, err := newResolveAuthScheme(op.name(), o, t)
	if err != nil {
		return nil, nil, err
	}

	add := []func() error{
		// Initialize: once per call, before anything is built.
		func() error {
			return stack.Initialize.Add(&awsmiddleware.RegisterServiceMetadata{
				Region: o.Region, ServiceID: ServiceID, OperationName: op.name(),
			}, middleware.Before)
		},
		func() error { return stack.Initialize.Add(&validateInput{op: op}, middleware.After) }, // validate.go

		// Serialize: the request's method, path, headers and body.
		func() error { return stack.Serialize.Add(&serializeInput{op: op, telemetry: t}, middleware.After) }, // serialize.go

		// Build: headers that are the same on every attempt.
		func() error { return stack.Build.Add(&invocationID{}, middleware.After) },
		func() error { return stack.Build.Add(&smithyhttp.ComputeContentLength{}, middleware.After) },
		func() error { return stack.Build.Add(newUserAgent(o), middleware.After) }, // useragent.go
		func() error { return stack.Build.Add(&awsmiddleware.RecursionDetection{}, middleware.After) },

		// Finalize: the retry loop, and in it, on every attempt, the auth
		// scheme and identity (auth.go), the endpoint (endpoint.go), the
		// payload hash and the signature (sign.go).
		func() error {
			return stack.Finalize.Add(retry.NewAttemptMiddleware(o.Retryer, cloneAttemptRequest, func(m *retry.Attempt) {
				m.LogAttempts = o.ClientLogMode.IsRetries()
				m.OperationMeter = o.MeterProvider.Meter(instrumentationScope)
				m.ClientSkew = c.clockSkew
				m.DisableClockSkewCorrection = o.DisableClockSkewCorrection
			}), middleware.After)
		},
		func() error { return stack.Finalize.Add(authScheme, middleware.After) },
		func() error { return stack.Finalize.Add(&getIdentity{telemetry: t}, middleware.After) },
		func() error { return stack.Finalize.Add(newResolveEndpoint(o, t), middleware.After) },
		func() error { return stack.Finalize.Add(&computePayloadHash{}, middleware.After) },
		func() error {
			return stack.Finalize.Add(&signRequest{sigV4: newSigV4Signer(o, c.clockSkew, t)}, middleware.After)
		},

		// Deserialize: each attempt's response, outermost first
		// (requestid.go, deserialize.go, logging.go).
		func() error { return stack.Deserialize.Add(&awsmiddleware.AddRawResponse{}, middleware.After) },
		func() error { return stack.Deserialize.Add(&awshttp.ResponseErrorWrapper{}, middleware.After) },
		func() error { return stack.Deserialize.Add(&retrieveRequestID{telemetry: t}, middleware.After) },
		func() error {
			return stack.Deserialize.Add(&deserializeOutput{op: op, maxBody: maxBodySize(o), telemetry: t}, middleware.After)
		},
		func() error {
			return stack.Deserialize.Add(&awsmiddleware.RecordResponseTiming{
				DisableClockSkewCorrection: o.DisableClockSkewCorrection,
			}, middleware.After)
		},
		func() error { return addRequestResponseLogging(stack, o) },
	}
	for _, fn := range add {
		if err := fn(); err != nil {
			return nil, nil, err
		}
	}
	if err := addInterceptors(stack, o); err != nil {
		return nil, nil, err
	}
	for _, fn := range o.APIOptions {
		if err := fn(stack); err != nil {
			return nil, nil, err
		}
	}

	// Freeze.
	if err := freezeUserAgent(stack); err != nil {
		return nil, nil, err
	}
	values, err := hoistServiceMetadata(stack, newCallValues(op, o, t))
	if err != nil {
		return nil, nil, err
	}
	handler, err := compileStack(stack, newRequest, sendRequest{client: c.sendingClient(o.HTTPClient), telemetry: t})
	return handler, values, err
}

func maxBodySize(o Options) int64 {
	if o.MaxResponseBodySize > 0 {
		return o.MaxResponseBodySize
	}
	return DefaultMaxResponseBodySize
}

// stillSDKMiddleware returns the middleware with the given ID in a step, if
// it is there and still of the SDK's type T: a stack function may have
// removed it or put one of its own in its place.
func stillSDKMiddleware[T any, M any](get func(id string) (M, bool), id string) (T, bool) {
	m, ok := get(id)
	if !ok {
		var none T
		return none, false
	}
	sdk, ok := any(m).(T)
	return sdk, ok
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
