package main

import (
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
)

// retryWithoutWaiting makes every client the commands build retry at once,
// with the standard retryer's rules, up to attempts in all.
func retryWithoutWaiting(t *testing.T, attempts int) {
	t.Helper()
	t.Setenv("AWS_MAX_ATTEMPTS", fmt.Sprint(attempts))
	testClientOptions = []func(*amplifyuibuilder.Options){func(o *amplifyuibuilder.Options) {
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = attempts
			so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		})
	}}
	t.Cleanup(func() { testClientOptions = nil })
}

// TestExitCodes: each kind of failure exits with the AWS CLI's code for it,
// with one line on stderr.
func TestExitCodes(t *testing.T) {
	srv := startServer(t)
	refresh := func(extra ...string) []string {
		return append([]string{"refresh-token", "--endpoint-url", srv.URL, "--provider", "figma", "--refresh-token-body", "token=t"}, extra...)
	}
	closed := amplifyuibuildertest.NewServer()
	closed.Close()
	tests := []struct {
		name    string
		setup   func(t *testing.T)
		args    []string
		exit    int
		message string
	}{
		{"success", nil, []string{"refresh-token", "--generate-cli-skeleton", "output", "--provider", "figma", "--refresh-token-body", "token=t"}, exitOK, ""},
		{"unknown option", nil, refresh("--bogus"), exitUsage, "Unknown options: --bogus"},
		{"missing arguments", nil, []string{"refresh-token"}, exitUsage, "the following arguments are required: --provider, --refresh-token-body"},
		{"invalid parameter", nil, refresh("--refresh-token-body", "token=t,refreshToken=u"), exitUsage, `Unknown parameter in refreshTokenBody: "refreshToken"`},
		{"client-side validation", nil, refresh("--refresh-token-body", "clientId=c"), exitUsage, "Parameter validation failed"},
		{"no region", func(t *testing.T) { os.Unsetenv("AWS_REGION") }, refresh(), exitConfig,
			"You must specify a region: use --region, AWS_REGION, or a profile with a region."},
		{"no credentials", func(t *testing.T) { os.Unsetenv("AWS_ACCESS_KEY_ID"); os.Unsetenv("AWS_SECRET_ACCESS_KEY") }, refresh(), exitConfig,
			"Unable to locate credentials"},
		{"service error", nil, refresh(), exitServiceError, "An error occurred (InvalidParameterException) when calling the RefreshToken operation"},
		// AWS CLI 2.9 exits 255 for these two, from botocore's errors.
		{"unknown profile", nil, refresh("--profile", "nobody"), exitFailure, "The config profile (nobody) could not be found"},
		{"region of the wrong form", nil, refresh("--region", "us east 1"), exitFailure, "Provided region_name 'us east 1' doesn't match a supported format."},
		{"connection refused", nil, []string{"refresh-token", "--endpoint-url", closed.URL, "--provider", "figma", "--refresh-token-body", "token=t"}, exitFailure,
			fmt.Sprintf("Could not connect to the endpoint URL: %q", closed.URL+"/tokens/figma/refresh")},
		{"endpoint URL without a scheme", nil, []string{"refresh-token", "--endpoint-url", "localhost:4566", "--provider", "figma", "--refresh-token-body", "token=t"},
			exitFailure, "amplifyuibuilder: error: Invalid endpoint: localhost:4566\n"},
		{"endpoint URL without a scheme, with a password", nil, []string{"refresh-token", "--endpoint-url", "user:hunter2@localhost", "--provider", "figma", "--refresh-token-body", "token=t"},
			exitFailure, "Invalid endpoint: (an endpoint URL with user information, not shown)"},
		{"unknown output type in the environment", func(t *testing.T) { t.Setenv("AWS_DEFAULT_OUTPUT", "xml") }, refresh(), exitFailure, "Unknown output type: xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			useServer(t, srv)
			if tt.setup != nil {
				tt.setup(t)
			}

			exit, _, stderr := cli(t, tt.args...)

			assert.Equal(t, tt.exit, exit, "stderr: %s", stderr)
			if tt.exit == exitOK {
				assert.Empty(t, stderr)
				return
			}
			requireOneLine(t, stderr)
			assert.Contains(t, stderr, tt.message)
		})
	}
}

func TestInterruptedExits130(t *testing.T) {
	srv := startServer(t)
	useServer(t, srv)
	srv.DelayNext(1, time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		// Interrupt once the request is under way.
		for len(srv.Requests()) == 0 && ctx.Err() == nil {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()

	exit, _, stderr := cliContext(t, ctx, "refresh-token", "--endpoint-url", srv.URL, "--provider", "figma", "--refresh-token-body", "token=t")

	assert.Equal(t, exitInterrupted, exit)
	assert.Equal(t, "amplifyuibuilder: interrupted\n", stderr)
}

// TestReadTimeoutPerAttempt: a server that accepts the request and says
// nothing fails each attempt after --cli-read-timeout, reported in the AWS
// CLI's words. RefreshToken is retried, as the AWS CLI retries it; an
// exchange is not, because the service may have spent the code.
func TestReadTimeoutPerAttempt(t *testing.T) {
	for _, tt := range []struct {
		name     string
		args     func(srv *amplifyuibuildertest.Server) []string
		path     string
		attempts int
	}{
		{"refresh-token is retried", func(srv *amplifyuibuildertest.Server) []string {
			return []string{"refresh-token", "--endpoint-url", srv.URL, "--provider", "figma", "--refresh-token-body", "token=t"}
		}, "/tokens/figma/refresh", 3},
		{"exchange-code-for-token is not", func(srv *amplifyuibuildertest.Server) []string {
			return exchangeArgs(srv, srv.IssueCode(redirectURI))
		}, "/tokens/figma", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t)
			useServer(t, srv)
			retryWithoutWaiting(t, 3)
			srv.DelayNext(3, time.Hour)

			exit, stdout, stderr := cli(t, append(tt.args(srv), "--cli-read-timeout", "0.2")...)

			assert.Equal(t, exitFailure, exit)
			assert.Empty(t, stdout)
			assert.Equal(t, fmt.Sprintf("amplifyuibuilder: error: Read timeout on endpoint URL: %q\n", srv.URL+tt.path), stderr)
			assert.Len(t, srv.Requests(), tt.attempts)
		})
	}
}

// TestExchangeStillRetriesOtherFailures: only read timeouts are not retried
// for an exchange; a throttled attempt spent no code and is retried.
func TestExchangeStillRetriesOtherFailures(t *testing.T) {
	srv := startServer(t)
	useServer(t, srv)
	retryWithoutWaiting(t, 3)
	srv.FailNext(1, http.StatusServiceUnavailable, "ServiceUnavailableException")

	exit, stdout, stderr := cli(t, exchangeArgs(srv, srv.IssueCode(redirectURI))...)

	require.Equal(t, exitOK, exit, "stderr: %s", stderr)
	assert.True(t, srv.AccessTokenValid(decodeOutput(t, stdout).AccessToken))
	assert.Len(t, srv.Requests(), 2)
}

func TestConnectionClosedWording(t *testing.T) {
	srv := startServer(t)
	useServer(t, srv)
	srv.DropNext(1)

	exit, _, stderr := cli(t, "refresh-token", "--endpoint-url", srv.URL, "--provider", "figma", "--refresh-token-body", "token=t")

	assert.Equal(t, exitFailure, exit)
	assert.Equal(t, fmt.Sprintf("amplifyuibuilder: error: Connection was closed before we received a valid response from endpoint URL: %q.\n",
		srv.URL+"/tokens/figma/refresh"), stderr)
}

func TestTLSFailureWording(t *testing.T) {
	tlsSrv := httptest.NewUnstartedServer(http.NotFoundHandler())
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake the client refuses
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	srv := startServer(t)
	useServer(t, srv)

	exit, _, stderr := cli(t, "refresh-token", "--endpoint-url", tlsSrv.URL, "--provider", "figma", "--refresh-token-body", "token=t")

	assert.Equal(t, exitFailure, exit)
	requireOneLine(t, stderr)
	assert.Contains(t, stderr, "amplifyuibuilder: error: SSL validation failed for "+tlsSrv.URL+"/tokens/figma/refresh tls: failed to verify certificate: x509: ")
	assert.NotContains(t, stderr, "operation error")
}

// TestConnectionErrorURLHidesUserInfo: the URL in a connection error never
// carries user information that the endpoint URL had.
func TestConnectionErrorURLHidesUserInfo(t *testing.T) {
	srv := startServer(t)
	useServer(t, srv)
	closed := amplifyuibuildertest.NewServer()
	closed.Close()
	endpoint := strings.Replace(closed.URL, "http://", "http://user:hunter2@", 1)

	exit, _, stderr := cli(t, "refresh-token", "--endpoint-url", endpoint, "--provider", "figma", "--refresh-token-body", "token=t")

	assert.Equal(t, exitFailure, exit)
	assert.Contains(t, stderr, fmt.Sprintf("Could not connect to the endpoint URL: %q", closed.URL+"/tokens/figma/refresh"))
	assert.NotContains(t, stderr, "hunter2")
}

// TestConnectTimeoutWording: a dial that times out is worded as the AWS CLI
// words it. No loopback address makes a dial time out, so the error is
// built as the HTTP client returns it.
func TestConnectTimeoutWording(t *testing.T) {
	err := &url.Error{Op: "Post", URL: "https://amplifyuibuilder.us-east-1.amazonaws.com/tokens/figma",
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: timeoutError{}}}

	exit, msg := describeCallError(context.Background(), "ExchangeCodeForToken", "", fmt.Errorf("operation error: %w", err))

	assert.Equal(t, exitFailure, exit)
	assert.Equal(t, `Connect timeout on endpoint URL: "https://amplifyuibuilder.us-east-1.amazonaws.com/tokens/figma"`, msg)
}

type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

// TestConnectTimeoutApplied: --cli-connect-timeout sets the dialer's
// timeout of the client the command builds.
func TestConnectTimeoutApplied(t *testing.T) {
	client := newHTTPClient(1500*time.Millisecond, 2*time.Second)

	assert.Equal(t, 1500*time.Millisecond, client.GetDialer().Timeout)
	readTimeout, ok := client.GetReadTimeout()
	assert.True(t, ok)
	assert.Equal(t, 2*time.Second, readTimeout)
}

// TestCABundle: with --ca-bundle naming the server's certificate, the TLS
// connection that TestTLSFailureWording sees refused goes through, and the
// server's answer is reported.
func TestCABundle(t *testing.T) {
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Amzn-Errortype", "ThrottlingException")
		w.WriteHeader(http.StatusBadRequest)
	}))
	defer tlsSrv.Close()
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(bundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw}), 0o600))
	srv := startServer(t)
	useServer(t, srv)

	exit, _, stderr := cli(t, "refresh-token", "--endpoint-url", tlsSrv.URL, "--ca-bundle", bundle, "--provider", "figma", "--refresh-token-body", "token=t")

	assert.Equal(t, exitServiceError, exit, "stderr: %s", stderr)
	assert.Contains(t, stderr, "An error occurred (ThrottlingException) when calling the RefreshToken operation")
}

func TestCompatibilityOptionsAccepted(t *testing.T) {
	exit, stdout, stderr := cli(t, "refresh-token", "--no-cli-pager", "--no-paginate", "--color", "off",
		"--generate-cli-skeleton", "output", "--provider", "figma", "--refresh-token-body", "token=t")

	require.Equal(t, exitOK, exit, "stderr: %s", stderr)
	assert.Contains(t, stdout, `"accessToken": "accessToken"`)

	exit, _, stderr = cli(t, "refresh-token", "--color", "rainbow", "--provider", "figma", "--refresh-token-body", "token=t")
	assert.Equal(t, exitUsage, exit)
	assert.Contains(t, stderr, `argument --color: Invalid choice "rainbow"`)
}

// TestBodyReadTimeoutWording: a server that sends the headers and part of
// the body, then nothing, is a read timeout too, named by the request's URL.
func TestBodyReadTimeoutWording(t *testing.T) {
	stalled := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(`{"accessToken":"abc`))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer stalled.Close()
	srv := startServer(t)
	useServer(t, srv)

	exit, stdout, stderr := cli(t, "refresh-token", "--endpoint-url", stalled.URL, "--cli-read-timeout", "0.2",
		"--provider", "figma", "--refresh-token-body", "token=t")

	assert.Equal(t, exitFailure, exit)
	assert.Empty(t, stdout)
	assert.Equal(t, fmt.Sprintf("amplifyuibuilder: error: Read timeout on endpoint URL: %q\n", stalled.URL+"/tokens/figma/refresh"), stderr)
}

// TestErrorsMatchAWSCLILive runs the installed AWS CLI on the same failing
// calls: the exit code is the same, and its message line is ours, after our
// "amplifyuibuilder: error: " prefix.
func TestErrorsMatchAWSCLILive(t *testing.T) {
	aws := awsCLI(t)
	srv := startServer(t)
	closed := amplifyuibuildertest.NewServer()
	closed.Close()
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer silent.Close()
	go func() {
		var held []net.Conn // accepted, and never answered
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	refresh := func(endpoint string, extra ...string) []string {
		return append([]string{"refresh-token", "--endpoint-url", endpoint, "--provider", "figma", "--refresh-token-body", "token=t"}, extra...)
	}
	tests := []struct {
		name string
		args []string
	}{
		{"service error", refresh(srv.URL)},
		{"service error after the last retry", refresh(srv.URL)},
		{"connection refused", refresh(closed.URL)},
		{"read timeout", refresh("http://"+silent.Addr().String(), "--cli-read-timeout", "1")},
		{"unknown profile", refresh(srv.URL, "--profile", "nobody")},
		{"region of the wrong form", refresh(srv.URL, "--region", "us east 1")},
		{"missing arguments", []string{"exchange-code-for-token", "--endpoint-url", srv.URL}},
		{"unknown option", refresh(srv.URL, "--bogus")},
		{"endpoint URL without a scheme", refresh("localhost:4566")},
		{"request that is a JSON list", []string{"exchange-code-for-token", "--endpoint-url", srv.URL, "--provider", "figma", "--request", "[]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			useServer(t, srv)
			switch tt.name {
			case "service error":
				// Not retried, whatever the number of attempts.
				t.Setenv("AWS_MAX_ATTEMPTS", "3")
			case "service error after the last retry":
				t.Setenv("AWS_MAX_ATTEMPTS", "2")
				retryWithoutWaiting(t, 2)
				srv.FailNext(2, http.StatusServiceUnavailable, "ServiceUnavailableException") // for the AWS CLI
			}
			cmd := exec.Command(aws, append([]string{"amplifyuibuilder"}, tt.args...)...)
			cmd.Env = append(os.Environ(), "AWS_PAGER=")
			var awsErr strings.Builder
			cmd.Stderr = &awsErr
			runErr := cmd.Run()
			var exitErr *exec.ExitError
			require.ErrorAs(t, runErr, &exitErr, "aws: %s", awsErr.String())
			awsLines := strings.Split(strings.TrimSpace(awsErr.String()), "\n")
			awsMessage := strings.TrimPrefix(awsLines[len(awsLines)-1], "aws: error: ")

			if tt.name == "service error after the last retry" {
				srv.FailNext(2, http.StatusServiceUnavailable, "ServiceUnavailableException") // for us
			}
			exit, _, stderr := cli(t, tt.args...)

			assert.Equal(t, exitErr.ExitCode(), exit, "aws said: %s\nwe said: %s", awsErr.String(), stderr)
			ours := strings.TrimSuffix(stderr, "\n")
			ours = ours[strings.Index(ours, "error: ")+len("error: "):]
			if strings.HasPrefix(stderr, "An error occurred") {
				ours = strings.TrimSuffix(stderr, "\n")
			}
			switch tt.name {
			case "request that is a JSON list":
				// The AWS CLI quotes the value back; we do not, as it may be
				// a secret.
				assert.Equal(t, "[]", awsMessage)
				assert.Contains(t, ours, "Error parsing parameter '--request': Invalid JSON")
			default:
				assert.Equal(t, awsMessage, ours, "aws said: %s", awsErr.String())
			}
		})
	}
}
