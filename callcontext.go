package amplifyuibuilder

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"

	smithyauth "github.com/aws/smithy-go/auth"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/tracing"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/uibuilder-go/amplifyuibuilder/internal/calllog"
)

// Every call starts by putting the same values into its context: a fresh set
// of smithy-go stack values naming the service and the operation, the
// logger, and, in the first middleware, the aws-sdk-go-v2 service metadata
// (service id, region, operation name). Each value costs a context node, a
// stack-value node and often a boxed string: 15 allocations per call for
// values that depend only on the options. A plan makes them once, in a
// context of their own (plan.go), and a call lays that context over the
// caller's in one node, its callState, which also carries what is the call's
// own: its secrets, its logger, and what one attempt's middleware hand on to
// the next.

// callState is a call's context: the values a plan made once, and the
// call's own, over the caller's context, which keeps its deadline,
// cancellation and values.
type callState struct {
	context.Context                 // the caller's
	values          context.Context // made once per plan, from context.Background()

	secrets callSecrets // redaction.go
	logger  callLogger  // logging.go
	logInfo *calllog.Info

	// attempt is what ResolveAuthScheme and GetIdentity found for the
	// current attempt, for Signing. Attempts run one after another.
	attempt attemptAuth

	// What every call allocates, held here so that it costs no allocation
	// of its own: the values of the headers the call sets (each request
	// its own, never a slice shared between calls), the request's URL,
	// payload and body bytes (newRequest, requestBody), the first
	// attempt's copy of the request (cloneAttemptRequest), and its
	// response wrapper and body reader (sendRequest). Each is handed out
	// once; a second request or attempt of the call gets its own. The
	// fields are sized so that the state stays in the 1,536-byte size
	// class.
	headers       [ownHeaderCount]string
	headersTaken  [ownHeaderCount]bool
	url           url.URL
	payload       payload
	body          [smallBody]byte // the payload's bytes, when they fit
	bodyTaken     bool
	requestTaken  bool
	firstAttempt  attemptRequest // the first attempt's copy of the request
	attemptCloned bool
	firstResponse smithyhttp.Response
	firstBody     bytes.Reader
	attemptsSent  int
}

// smallBody is the largest request body a call keeps in its state.
const smallBody = 160

// attemptRequest is the storage of one attempt's copy of the request.
type attemptRequest struct {
	request smithyhttp.Request
	http    http.Request
	url     url.URL
	values  [6]string // the header's values, when they fit
}

// The headers whose values a call keeps in its state.
const (
	headerContentType = iota
	headerUserAgent
	headerInvocationID
	ownHeaderCount
)

// headerValue returns the value of one of the call's own headers as a
// one-value slice of the call's own, for the request's header map. Outside a
// call (s is nil), and when a stack function made the call set the header
// more than once, the slice is a new one.
func (s *callState) headerValue(which int, value string) []string {
	if s == nil || s.headersTaken[which] {
		return []string{value}
	}
	s.headersTaken[which] = true
	s.headers[which] = value
	return s.headers[which : which+1 : which+1]
}

// invocationID returns a new invocation id (invocationid.go). In a call
// whose payload the serializer has written, the payload's hash, which
// ComputePayloadHash asks for on the first attempt (payload.sha256Hex), is
// computed now, and the id and the hash are two halves of one string: one
// allocation for two values every call needs.
func (s *callState) invocationID() (string, error) {
	if s == nil || s.payload.body == nil || s.payload.sum != "" {
		return newUUID()
	}
	var text [uuidLength + payloadHashLength]byte
	if err := putUUID((*[uuidLength]byte)(text[:uuidLength])); err != nil {
		return "", err
	}
	s.payload.putSHA256Hex((*[payloadHashLength]byte)(text[uuidLength:]))
	both := string(text[:])
	s.payload.sum = both[uuidLength:]
	return both[:uuidLength], nil
}

// attemptAuth is the auth scheme and identity of one attempt (auth.go).
type attemptAuth struct {
	scheme   *resolvedAuthScheme
	identity smithyauth.Identity

	// credentials hold the identity when it is the client's own
	// credentials, so that an attempt boxes none.
	credentials credentialsIdentity
}

// callStateKey finds the call's state.
type callStateKey struct{}

// Value answers the call's state, then from the plan's values. They hold a
// fresh set of stack values, which hides any the caller's context carries,
// exactly as middleware.ClearStackValues would.
func (c *callState) Value(key any) any {
	if _, ok := key.(callStateKey); ok {
		return c
	}
	if v := c.values.Value(key); v != nil {
		return v
	}
	return c.Context.Value(key)
}

// getCallState returns the state of the call ctx belongs to, or nil outside
// a call.
func getCallState(ctx context.Context) *callState {
	s, _ := ctx.Value(callStateKey{}).(*callState)
	return s
}

// errNoCallState is what a finalize middleware of ours returns when a stack
// function handed it a context that does not descend from the call's.
var errNoCallState = errors.New("the context does not descend from the call's own")

// attemptOf returns the auth state of the current attempt.
func attemptOf(ctx context.Context) (*attemptAuth, error) {
	s := getCallState(ctx)
	if s == nil {
		return nil, errNoCallState
	}
	return &s.attempt, nil
}

// resolvedAttemptOf returns the auth state of the current attempt, once
// ResolveAuthScheme has chosen its scheme: what GetIdentity and Signing
// start from.
func resolvedAttemptOf(ctx context.Context) (*attemptAuth, *resolvedAuthScheme, error) {
	attempt, err := attemptOf(ctx)
	if err != nil {
		return nil, nil, err
	}
	if attempt.scheme == nil {
		return nil, nil, errors.New("no resolved auth scheme")
	}
	return attempt, attempt.scheme, nil
}

// newCallContext returns the context a call of plan runs in.
func newCallContext(ctx context.Context, plan *callPlan) context.Context {
	s := &callState{Context: ctx, values: plan.values}
	s.logger = callLogger{inner: plan.logger, prefix: plan.logMode != 0, state: s}
	if plan.logMode != 0 {
		// The request id, once known, for loggers that take the context
		// (slogadapter) and for the prefix of the others.
		ctx, s.logInfo = calllog.With(s)
		return ctx
	}
	return s
}

// newCallValues makes the values every call of op starts with. They include
// the client's tracer as the operation tracer, as an aws-sdk-go-v2 client
// puts its own into every call's context, the no-op one included: spans of a
// call the client does not trace never go to an operation tracer the
// caller's context carries (another client's call around this one).
func newCallValues(op *operation, o Options, t *telemetry) context.Context {
	values := middleware.ClearStackValues(context.Background())
	values = middleware.WithServiceID(values, ServiceID)
	values = middleware.WithOperationName(values, op.name())
	values = tracing.WithOperationTracer(values, t.tracer)
	return middleware.SetLogger(values, &callLogger{inner: o.Logger})
}
