package tokensource_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
	"github.com/uibuilder-go/amplifyuibuilder/internal/testkit"
	"github.com/uibuilder-go/amplifyuibuilder/tokensource"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

const (
	redirectURI = "https://app.example/callback"
	figma       = types.TokenProvidersFigma

	// hangGuard bounds how long a test waits for something that happens at
	// once when the code works: it turns a hang into a failure, and is no
	// measure of speed.
	hangGuard = 30 * time.Second
)

// newFakeClock returns a clock that moves only when the test says. Its time
// is in the past, before the real clock: see TestOAuth2Client for why.
func newFakeClock() *testkit.Clock {
	return testkit.NewClock(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
}

// env is a local Amplify UI Builder endpoint and a real client of it, on one
// fake clock.
type env struct {
	srv    *amplifyuibuildertest.Server
	client *amplifyuibuilder.Client
	clock  *testkit.Clock
}

// newEnv starts a server with the fake clock and opts. Its client, from
// srv.Client, signs on that clock and makes one attempt per call, so that a
// failure reaches the Source at once and no retry waits.
func newEnv(t *testing.T, opts ...amplifyuibuildertest.Option) *env {
	t.Helper()
	clock := newFakeClock()
	srv := amplifyuibuildertest.NewServer(append([]amplifyuibuildertest.Option{amplifyuibuildertest.WithClock(clock.Now)}, opts...)...)
	t.Cleanup(srv.Close)
	client := srv.Client(func(o *amplifyuibuilder.Options) { o.RetryMaxAttempts = 1 })
	return &env{srv: srv, client: client, clock: clock}
}

// fromCode issues a code and returns a Source that exchanges it through
// client, on the fake clock.
func (e *env) fromCode(client tokensource.Client, opts ...tokensource.Option) *tokensource.Source {
	code := e.srv.IssueCode(redirectURI)
	return tokensource.FromCode(client, figma, code, redirectURI, e.withClock(opts)...)
}

// withClock puts the fake clock before opts.
func (e *env) withClock(opts []tokensource.Option) []tokensource.Option {
	return append([]tokensource.Option{tokensource.WithClock(e.clock.Now)}, opts...)
}

// calls lists the requests the server received, each as its operation and
// the status of the answer (0: none).
func (e *env) calls() []string {
	var calls []string
	for _, r := range e.srv.Requests() {
		calls = append(calls, r.Operation+" "+strconv.Itoa(r.Status))
	}
	return calls
}

// refreshBodies returns the bodies of the RefreshToken requests the server
// received.
func (e *env) refreshBodies() []string {
	var bodies []string
	for _, r := range e.srv.Requests() {
		if r.Operation == amplifyuibuildertest.OperationRefreshToken {
			bodies = append(bodies, string(r.Body))
		}
	}
	return bodies
}

func exchangeInput(code string) *amplifyuibuilder.ExchangeCodeForTokenInput {
	return &amplifyuibuilder.ExchangeCodeForTokenInput{
		Provider: figma,
		Request:  &types.ExchangeCodeForTokenRequestBody{Code: aws.String(code), RedirectUri: aws.String(redirectURI)},
	}
}

// heldClient holds every call of the operation named hold until release is
// closed, after telling held that it arrived.
type heldClient struct {
	tokensource.Client
	hold    string
	held    chan<- struct{}
	release <-chan struct{}
}

func (c heldClient) wait(operation string) {
	if operation == c.hold {
		c.held <- struct{}{}
		<-c.release
	}
}

func (c heldClient) ExchangeCodeForToken(ctx context.Context, in *amplifyuibuilder.ExchangeCodeForTokenInput, optFns ...func(*amplifyuibuilder.Options)) (*amplifyuibuilder.ExchangeCodeForTokenOutput, error) {
	c.wait(amplifyuibuildertest.OperationExchangeCodeForToken)
	return c.Client.ExchangeCodeForToken(ctx, in, optFns...)
}

func (c heldClient) RefreshToken(ctx context.Context, in *amplifyuibuilder.RefreshTokenInput, optFns ...func(*amplifyuibuilder.Options)) (*amplifyuibuilder.RefreshTokenOutput, error) {
	c.wait(amplifyuibuildertest.OperationRefreshToken)
	return c.Client.RefreshToken(ctx, in, optFns...)
}

// waitingContext is a context that tells waiting when its Done channel is
// first asked for. A caller of Token asks for it only when it waits for a
// renewal that another call makes, so a test knows that caller is waiting.
type waitingContext struct {
	context.Context
	once    sync.Once
	waiting chan<- struct{}
}

func (c *waitingContext) Done() <-chan struct{} {
	c.once.Do(func() { c.waiting <- struct{}{} })
	return c.Context.Done()
}

// receive returns the next value from ch, failing the test if none comes
// within the hang guard.
func receive[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	return testkit.Receive(t, ch, hangGuard)
}

// tokenResult is what one call of Token returned.
type tokenResult struct {
	token string
	err   error
}

// tokenAsync calls src.Token(ctx) in a goroutine and sends the result to
// results.
func tokenAsync(ctx context.Context, src *tokensource.Source, results chan<- tokenResult) {
	go func() {
		token, err := src.Token(ctx)
		results <- tokenResult{token, err}
	}()
}
