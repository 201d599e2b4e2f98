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

// operation describes one API operation: what the generic stack needs to
// validate, serialize and deserialize it.
type operation struct {
	id       int
	name     string
	spanName string // ServiceID + "." + name

	// describe says what the input asks to send; validation and
	// serialization work from it.
	describe func(input any) tokenRequest

	// deserialize decodes a 2xx response body into a new output.
	deserialize func(body []byte) (any, error)
}

// validate reports every missing required member of the input.
func (op *operation) validate(input any) error {
	r := op.describe(input)
	return r.validate()
}

// serialize returns the request's path (unescaped and escaped) and its JSON
// body.
func (op *operation) serialize(input any) (path, rawPath string, body []byte, err error) {
	r := op.describe(input)
	if path, rawPath, err = r.path(); err != nil {
		return "", "", nil, err
	}
	body, err = r.body()
	return path, rawPath, body, err
}

// The operations, indexed by their id.
const (
	opExchangeCodeForToken = iota
	opRefreshToken
	operationCount
)

var operations = [operationCount]*operation{
	opExchangeCodeForToken: exchangeCodeForTokenOperation,
	opRefreshToken:         refreshTokenOperation,
}

// callPlan is everything a call of one operation needs that depends only on
// the options: the linked middleware chain and the telemetry instruments. It
// holds no per-call state, so one plan serves concurrent calls.
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

// handle runs one call through the chain.
func (p *callPlan) handle(ctx context.Context, params any) (any, middleware.Metadata, error) {
	return p.handler.Handle(ctx, params)
}

// buildHandler assembles the middleware stack of one operation, in the five
// smithy steps, applies the caller's APIOptions to it, and links the result
// into the chain that every call of the plan walks (compileStack). It also
// returns the context values every call starts with.
//
// Middleware IDs are those of the aws-sdk-go-v2 clients, so that APIOptions
// written for them (Insert relative to "Signing", Get("UserAgent"), ...) work
// here too.
func (c *Client) buildHandler(op *operation, o Options, t *telemetry) (middleware.Handler, context.Context, error) {
	stack := middleware.NewStack(op.name, newRequest)

	add := []func() error{
		// Initialize: once per call, before anything is built.
		func() error {
			return stack.Initialize.Add(&awsmiddleware.RegisterServiceMetadata{
				Region: o.Region, ServiceID: ServiceID, OperationName: op.name,
			}, middleware.Before)
		},
		func() error { return stack.Initialize.Add(&validateInput{op: op}, middleware.After) },

		// Serialize: the request's method, path, headers and body.
		func() error { return stack.Serialize.Add(&serializeInput{op: op, telemetry: t}, middleware.After) },

		// Build: headers that are the same on every attempt.
		func() error { return stack.Build.Add(&awsmiddleware.ClientRequestID{}, middleware.After) },
		func() error { return stack.Build.Add(&smithyhttp.ComputeContentLength{}, middleware.After) },
		func() error { return stack.Build.Add(newUserAgent(o), middleware.After) },
		func() error { return stack.Build.Add(&awsmiddleware.RecursionDetection{}, middleware.After) },

		// Finalize: where the request goes, then the retry loop, in which
		// every attempt is signed anew.
		func() error { return stack.Finalize.Add(newResolveEndpoint(o, t), middleware.After) },
		func() error { return stack.Finalize.Add(&computePayloadHash{}, middleware.After) },
		func() error {
			return stack.Finalize.Add(retry.NewAttemptMiddleware(o.Retryer, smithyhttp.RequestCloner, func(m *retry.Attempt) {
				m.LogAttempts = o.ClientLogMode.IsRetries()
				m.OperationMeter = o.MeterProvider.Meter(instrumentationScope)
				m.ClientSkew = c.clockSkew
				m.DisableClockSkewCorrection = o.DisableClockSkewCorrection
			}), middleware.After)
		},
		func() error {
			return stack.Finalize.Add(&signRequest{
				signer: o.HTTPSignerV4, credentials: o.Credentials, region: signingRegion(o.Region),
				clockSkew: c.clockSkew, skewCorrection: !o.DisableClockSkewCorrection,
				logSigning: o.ClientLogMode.IsSigning(), telemetry: t,
			}, middleware.After)
		},

		// Deserialize: each attempt's response, outermost first.
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
	if err := freezeUserAgent(stack); err != nil {
		return nil, nil, err
	}
	values, err := hoistServiceMetadata(stack, newCallValues(op, o))
	if err != nil {
		return nil, nil, err
	}
	handler, err := compileStack(stack, newRequest, sendRequest{client: o.HTTPClient, telemetry: t})
	return handler, values, err
}

func maxBodySize(o Options) int64 {
	if o.MaxResponseBodySize > 0 {
		return o.MaxResponseBodySize
	}
	return DefaultMaxResponseBodySize
}
