package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	smithy "github.com/aws/smithy-go"
)

// describeCallError words a failed call as the AWS CLI does and returns the
// exit code for it: 254 for an answer from the service, 252 for input the
// client refused before sending, 130 when interrupted, 255 for the rest
// (connection failures and timeouts included). sentTo is the URL of the
// last attempt, if one was sent.
func describeCallError(ctx context.Context, operation, sentTo string, err error) (exit int, message string) {
	var apiErr smithy.APIError
	var invalidParams smithy.InvalidParamsError
	switch {
	case errors.As(err, &apiErr):
		// botocore says when the error came after the last retry.
		retries := ""
		var maxAttempts *retry.MaxAttemptsError
		if errors.As(err, &maxAttempts) {
			retries = fmt.Sprintf(" (reached max retries: %d)", maxAttempts.Attempt-1)
		}
		return exitServiceError, fmt.Sprintf("An error occurred (%s) when calling the %s operation%s: %s",
			apiErr.ErrorCode(), operation, retries, apiErr.ErrorMessage())
	case errors.As(err, &invalidParams):
		return exitUsage, "Parameter validation failed: " + invalidParams.Error()
	case ctx.Err() != nil:
		return exitInterrupted, ""
	}
	if msg, ok := connectionErrorMessage(err); ok {
		return exitFailure, msg
	}
	var timeout *awshttp.ResponseTimeoutError
	if errors.As(err, &timeout) && sentTo != "" {
		// The answer's body stopped coming.
		return exitFailure, fmt.Sprintf("Read timeout on endpoint URL: %q", sentTo)
	}
	return exitFailure, err.Error()
}

// connectionErrorMessage words a failure to reach the endpoint, or to hear
// from it, as botocore does, naming the request's URL (without any user
// information or query) instead of the SDK's error chain.
func connectionErrorMessage(err error) (string, bool) {
	var urlErr *url.Error
	if !errors.As(err, &urlErr) {
		return "", false
	}
	endpoint := sanitizeURL(urlErr.URL)
	var timeout *awshttp.ResponseTimeoutError
	var opErr *net.OpError
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostnameErr x509.HostnameError
	var recordErr tls.RecordHeaderError
	switch {
	case errors.As(err, &timeout):
		return fmt.Sprintf("Read timeout on endpoint URL: %q", endpoint), true
	case errors.As(err, &opErr) && opErr.Op == "dial" && opErr.Timeout():
		return fmt.Sprintf("Connect timeout on endpoint URL: %q", endpoint), true
	case errors.As(err, &dnsErr), errors.As(err, &opErr) && opErr.Op == "dial":
		return fmt.Sprintf("Could not connect to the endpoint URL: %q", endpoint), true
	case errors.As(err, &certErr), errors.As(err, &unknownAuthority), errors.As(err, &hostnameErr), errors.As(err, &recordErr):
		return fmt.Sprintf("SSL validation failed for %s %v", endpoint, errors.Unwrap(urlErr)), true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET):
		return fmt.Sprintf("Connection was closed before we received a valid response from endpoint URL: %q.", endpoint), true
	}
	return "", false
}

// sanitizeURL drops what a URL may carry besides the endpoint and path:
// user information and a query.
func sanitizeURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(an endpoint URL that cannot be parsed)"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}

// noRetryAfterReadTimeout is a retryer that never retries an attempt that
// timed out waiting for the answer. ExchangeCodeForToken uses it: the
// service may have spent the single-use code on the attempt it did not
// answer in time, so a second attempt would most likely be refused with
// InvalidParameterException, hiding the timeout and the reason behind it.
type noRetryAfterReadTimeout struct {
	aws.RetryerV2
}

func (r noRetryAfterReadTimeout) IsErrorRetryable(err error) bool {
	var timeout *awshttp.ResponseTimeoutError
	if errors.As(err, &timeout) {
		return false
	}
	return r.RetryerV2.IsErrorRetryable(err)
}

// retryerV2 adapts a Retryer that lacks GetAttemptToken.
type retryerV2 struct{ aws.Retryer }

func (r retryerV2) GetAttemptToken(ctx context.Context) (func(error) error, error) {
	return r.GetInitialToken(), nil
}

// withoutRetryAfterReadTimeout wraps a retryer in noRetryAfterReadTimeout.
func withoutRetryAfterReadTimeout(r aws.Retryer) aws.Retryer {
	v2, ok := r.(aws.RetryerV2)
	if !ok {
		v2 = retryerV2{r}
	}
	return noRetryAfterReadTimeout{v2}
}
