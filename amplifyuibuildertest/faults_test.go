package amplifyuibuildertest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
)

// statuses returns the status of each recorded answer.
func statuses(srv *amplifyuibuildertest.Server) []int {
	var out []int
	for _, r := range srv.Requests() {
		out = append(out, r.Status)
	}
	return out
}

func TestThrottlingIsRetried(t *testing.T) {
	srv := startServer(t)
	srv.FailNext(2, http.StatusTooManyRequests, "ThrottlingException")
	code := srv.IssueCode(redirectURI)

	_, err := exchange(t, newClient(srv), exchangeInput(code, redirectURI))

	require.NoError(t, err, "faults come before the handler: the code was not spent")
	assert.Equal(t, []int{429, 429, 200}, statuses(srv))
	assert.Equal(t, "ThrottlingException", srv.Requests()[0].ErrorCode)
}

func TestServerErrorsExhaustRetries(t *testing.T) {
	srv := startServer(t)
	srv.FailNext(3, http.StatusInternalServerError, "InternalServerException")

	_, err := exchange(t, newClient(srv), exchangeInput(srv.IssueCode(redirectURI), redirectURI))

	message := requireAPIError(t, err, http.StatusInternalServerError, "InternalServerException")
	assert.Equal(t, "Internal Server Error", message)
	var maxAttempts *retry.MaxAttemptsError
	require.ErrorAs(t, err, &maxAttempts)
	assert.Equal(t, 3, maxAttempts.Attempt)

	// The queue is empty again: the next request is answered normally.
	_, err = exchange(t, newClient(srv), exchangeInput(srv.IssueCode(redirectURI), redirectURI))
	require.NoError(t, err)
}

func TestFaultsApplyInOrder(t *testing.T) {
	srv := startServer(t)
	srv.InjectFault(1, amplifyuibuildertest.Fault{Status: http.StatusServiceUnavailable, Code: "ServiceUnavailableException", Message: "Try later."})
	srv.FailNext(1, http.StatusBadRequest, "ThrottlingException")
	srv.InjectFault(0, amplifyuibuildertest.Fault{Status: http.StatusTeapot, Code: "Never"})

	_, err := exchange(t, newClient(srv), exchangeInput(srv.IssueCode(redirectURI), redirectURI))

	require.NoError(t, err)
	assert.Equal(t, []int{503, 400, 200}, statuses(srv))
	assert.Equal(t, "ServiceUnavailableException", srv.Requests()[0].ErrorCode)
	assert.Equal(t, "ThrottlingException", srv.Requests()[1].ErrorCode)
}

func TestFaultMessageIsSent(t *testing.T) {
	srv := startServer(t)
	srv.InjectFault(1, amplifyuibuildertest.Fault{Status: http.StatusBadRequest, Code: "ValidationException", Message: "Nope."})

	_, err := exchange(t, newClient(srv), exchangeInput(srv.IssueCode(redirectURI), redirectURI))

	assert.Equal(t, "Nope.", requireAPIError(t, err, http.StatusBadRequest, "ValidationException"))
}

func TestDroppedConnectionIsRetried(t *testing.T) {
	srv := startServer(t)
	srv.DropNext(1)

	_, err := exchange(t, newClient(srv), exchangeInput(srv.IssueCode(redirectURI), redirectURI))

	require.NoError(t, err)
	assert.Equal(t, []int{0, 200}, statuses(srv), "a dropped request has no status")
}

func TestEveryAttemptDropped(t *testing.T) {
	srv := startServer(t)
	srv.DropNext(3)

	_, err := exchange(t, newClient(srv), exchangeInput(srv.IssueCode(redirectURI), redirectURI))

	var sendErr *smithyhttp.RequestSendError
	require.ErrorAs(t, err, &sendErr)
	assert.Len(t, srv.Requests(), 3)
}

func TestDelayedAnswerOutlivesClientDeadline(t *testing.T) {
	srv := startServer(t)
	srv.DelayNext(1, time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()

	_, err := newClient(srv).ExchangeCodeForToken(ctx, exchangeInput(srv.IssueCode(redirectURI), redirectURI))

	require.Error(t, err)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "got %v", err)
}

func TestDelayedRequestIsThenHandled(t *testing.T) {
	srv := startServer(t)
	srv.DelayNext(1, time.Millisecond)

	_, err := exchange(t, newClient(srv), exchangeInput(srv.IssueCode(redirectURI), redirectURI))

	require.NoError(t, err)
	assert.Equal(t, []int{200}, statuses(srv))
}

// TestCloseEndsDelayedAnswers: Close does not wait out a delay, and the
// client sees a failure, not an empty answer.
func TestCloseEndsDelayedAnswers(t *testing.T) {
	srv := amplifyuibuildertest.NewServer()
	srv.DelayNext(1, time.Hour)
	client := newClient(srv)
	code := srv.IssueCode(redirectURI)

	result := make(chan error, 1)
	go func() {
		_, err := exchange(t, client, exchangeInput(code, redirectURI))
		result <- err
	}()
	require.Eventually(t, func() bool { return len(srv.Requests()) == 1 }, 10*time.Second, time.Millisecond)
	srv.Close()

	err := <-result
	var sendErr *smithyhttp.RequestSendError
	require.ErrorAs(t, err, &sendErr)
}
