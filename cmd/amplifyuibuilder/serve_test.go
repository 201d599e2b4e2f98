package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/internal/testkit"
)

// serving is a serve command running in the background.
type serving struct {
	banner string // what it printed up to "Serving until interrupted"
	url    string
	stderr *testkit.SyncBuffer
	stop   func() (exit int, rest string)
}

// startServe runs serve with args through the entry point and reads what it
// prints up to the line that says it serves.
func startServe(t *testing.T, args ...string) *serving {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdoutReader, stdoutWriter := io.Pipe()
	stderr := &testkit.SyncBuffer{}
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, append([]string{"serve"}, args...), stdoutWriter, stderr)
		stdoutWriter.Close()
	}()
	lines := bufio.NewScanner(stdoutReader)
	var banner []string
	for lines.Scan() {
		banner = append(banner, lines.Text())
		if strings.HasPrefix(lines.Text(), "Serving until interrupted") {
			break
		}
	}
	rest := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(stdoutReader)
		rest <- string(b)
	}()
	s := &serving{banner: strings.Join(banner, "\n"), stderr: stderr}
	s.stop = func() (int, string) {
		cancel()
		return <-exited, <-rest
	}
	t.Cleanup(func() { cancel() })
	m := regexp.MustCompile(`local endpoint: (http://127\.0\.0\.1:\d+)`).FindStringSubmatch(s.banner)
	require.NotNil(t, m, "banner: %s\nstderr: %s", s.banner, stderr)
	s.url = m[1]
	return s
}

// useEnvironment sets the variables the banner says to export.
func (s *serving) useEnvironment(t *testing.T) {
	for _, export := range regexp.MustCompile(`export (AWS_[A-Z_]+)=(\S+)`).FindAllStringSubmatch(s.banner, -1) {
		t.Setenv(export[1], export[2])
	}
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
}

// TestServe starts serve through the entry point, follows what it prints to
// exchange a code with the CLI, and stops it by cancelling its context.
func TestServe(t *testing.T) {
	isolateAWSConfig(t)
	s := startServe(t, "--addr", "127.0.0.1:0", "--codes", "2", "--redirect-uri", redirectURI)
	s.useEnvironment(t)
	codes := regexp.MustCompile(`(?m)^  (code-\S+)$`).FindAllStringSubmatch(s.banner, -1)
	require.Len(t, codes, 2, s.banner)
	assert.Contains(t, s.banner, "exchange-code-for-token --provider figma --request code="+codes[0][1]+",redirectUri="+redirectURI)
	assert.Contains(t, s.banner, "Region: any")

	// The printed environment alone finds the endpoint.
	exit, stdout, stderr := cli(t, "exchange-code-for-token", "--provider", "figma",
		"--request", "code="+codes[1][1]+",redirectUri="+redirectURI)
	require.Equal(t, exitOK, exit, "stderr: %s", stderr)
	assert.Contains(t, stdout, `"accessToken": "access-`)

	exit, rest := s.stop()
	assert.Equal(t, exitOK, exit)
	assert.Equal(t, "Stopped.\n", rest)
	_, err := net.Dial("tcp", strings.TrimPrefix(s.url, "http://"))
	assert.Error(t, err, "the listener is closed")
}

// TestServePrintsEndpointURLForOldCLIs: AWS CLI 2.9 ignores
// AWS_ENDPOINT_URL_AMPLIFYUIBUILDER, so serve also prints --endpoint-url
// with its URL.
func TestServePrintsEndpointURLForOldCLIs(t *testing.T) {
	s := startServe(t, "--addr", "127.0.0.1:0", "--codes", "1")

	assert.Contains(t, s.banner, "aws amplifyuibuilder <command> --endpoint-url "+s.url+" ...")
	assert.Contains(t, s.banner, "aws amplifyuibuilder exchange-code-for-token --endpoint-url "+s.url+" --provider figma")
}

// TestServeMintsCodesWhileRunning: the printed authorize URL's page leads,
// by its Allow link, to a new code for the redirect URI, exchanged with
// the CLI; with --auto-approve the URL redirects with a code at once.
func TestServeMintsCodesWhileRunning(t *testing.T) {
	isolateAWSConfig(t)
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(u string) (*http.Response, string) {
		resp, err := browser.Get(u)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}
	codeFrom := func(resp *http.Response, redirect string) string {
		require.Equal(t, http.StatusFound, resp.StatusCode)
		location, err := url.Parse(resp.Header.Get("Location"))
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(location.String(), redirect+"?"), location.String())
		return location.Query().Get("code")
	}
	authorizeURL := regexp.MustCompile(`(?m)^  (http://127\.0\.0\.1:\d+/oauth\?\S+)$`)

	t.Run("Allow on the page", func(t *testing.T) {
		s := startServe(t, "--addr", "127.0.0.1:0", "--codes", "0", "--redirect-uri", redirectURI)
		s.useEnvironment(t)
		m := authorizeURL.FindStringSubmatch(s.banner)
		require.NotNil(t, m, s.banner)

		for range 2 { // as many as wanted, without a restart
			resp, page := get(m[1])
			require.Equal(t, http.StatusOK, resp.StatusCode)
			allow := regexp.MustCompile(`<a id="allow" href="([^"]+)">`).FindStringSubmatch(page)
			require.NotNil(t, allow, page)
			resp, _ = get(s.url + strings.ReplaceAll(allow[1], "&amp;", "&"))
			code := codeFrom(resp, redirectURI)

			exit, _, stderr := cli(t, "exchange-code-for-token", "--provider", "figma", "--request", "code="+code+",redirectUri="+redirectURI)
			require.Equal(t, exitOK, exit, "stderr: %s", stderr)
		}
	})
	t.Run("auto-approve", func(t *testing.T) {
		const loopback = "http://127.0.0.1:3000/callback"
		s := startServe(t, "--addr", "127.0.0.1:0", "--codes", "0", "--auto-approve", "--redirect-uri", loopback)
		s.useEnvironment(t)
		m := authorizeURL.FindStringSubmatch(s.banner)
		require.NotNil(t, m, s.banner)
		assert.Contains(t, s.banner, "curl -s -o /dev/null -w '%{redirect_url}\\n' '"+m[1]+"'")

		resp, _ := get(m[1])
		code := codeFrom(resp, loopback)

		exit, _, stderr := cli(t, "exchange-code-for-token", "--provider", "figma", "--request", "code="+code+",redirectUri="+loopback)
		require.Equal(t, exitOK, exit, "stderr: %s", stderr)
	})
}

// logLine is the form of serve's line per request.
var logLine = regexp.MustCompile(`^msg=request time=(\S+) method=(\S+) path=(\S+) operation=(\S+) region=(\S+) status=(\S+) error=(\S+) request_id=(\S+)$`)

// TestServeLogsOneLinePerRequest: every request gets one line on stderr with
// its time, method, path, region, status, error code and request id, and no
// line shows a secret: not the secret key, a signature, a code, a state or
// a token.
func TestServeLogsOneLinePerRequest(t *testing.T) {
	isolateAWSConfig(t)
	s := startServe(t, "--addr", "127.0.0.1:0", "--codes", "2", "--redirect-uri", redirectURI, "--auto-approve")
	s.useEnvironment(t)
	codes := regexp.MustCompile(`(?m)^  (code-\S+)$`).FindAllStringSubmatch(s.banner, -1)
	require.Len(t, codes, 2)
	t.Setenv("AWS_REGION", "eu-west-1") // the client's own region

	var secrets []string
	exit, stdout, stderr := cli(t, "exchange-code-for-token", "--provider", "figma", "--request", "code="+codes[0][1]+",redirectUri="+redirectURI)
	require.Equal(t, exitOK, exit, "stderr: %s", stderr)
	out := decodeOutput(t, stdout)
	secrets = append(secrets, out.AccessToken, out.RefreshToken)
	exit, _, _ = cli(t, "exchange-code-for-token", "--provider", "figma", "--request", "code="+codes[0][1]+",redirectUri="+redirectURI)
	require.Equal(t, exitServiceError, exit)
	exit, _, stderr = cli(t, "refresh-token", "--provider", "figma", "--refresh-token-body", "token="+out.RefreshToken)
	require.Equal(t, exitOK, exit, "stderr: %s", stderr)
	resp, err := http.Post(s.url+"/tokens/./figma", "application/json", strings.NewReader(`{"code":"`+codes[1][1]+`"}`))
	require.NoError(t, err)
	resp.Body.Close()
	unsignedID := resp.Header.Get("X-Amzn-Requestid")
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = browser.Get(s.url + "/oauth?" + url.Values{
		"client_id": {"client-secret-id"}, "redirect_uri": {redirectURI}, "state": {"state-secret"}, "response_type": {"code"},
	}.Encode())
	require.NoError(t, err)
	resp.Body.Close()
	location, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	secrets = append(secrets, location.Query().Get("code"), "state-secret", "client-secret-id")

	s.stop()
	logged := s.stderr.String()
	lines := strings.Split(strings.TrimSuffix(logged, "\n"), "\n")
	var got []string
	for _, line := range lines {
		m := logLine.FindStringSubmatch(line)
		require.NotNil(t, m, "not a log line: %q", line)
		signedAt, err := time.Parse(time.RFC3339Nano, m[1])
		require.NoError(t, err)
		assert.WithinDuration(t, time.Now(), signedAt, time.Hour)
		assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, m[8])
		got = append(got, strings.Join(m[2:8], " "))
	}
	assert.Equal(t, []string{
		"POST /tokens/figma ExchangeCodeForToken eu-west-1 200 -",
		"POST /tokens/figma ExchangeCodeForToken eu-west-1 400 InvalidParameterException",
		"POST /tokens/figma/refresh RefreshToken eu-west-1 200 -",
		"POST /tokens/./figma ExchangeCodeForToken - 403 MissingAuthenticationTokenException",
		"GET /oauth Authorize - 302 -",
	}, got)
	assert.Contains(t, lines[3], "request_id="+unsignedID)

	creds := regexp.MustCompile(`export AWS_SECRET_ACCESS_KEY=(\S+)`).FindStringSubmatch(s.banner)
	require.NotNil(t, creds)
	secrets = append(secrets, creds[1], codes[0][1], codes[1][1], "Signature=", "consent-")
	for _, secret := range secrets {
		require.NotEmpty(t, secret)
		assert.NotContains(t, logged, secret)
	}
}

// TestServeDefaultAddress: serve listens on a fixed port by default, which
// is not LocalStack's 4566 nor in its 4510-4559 range.
func TestServeDefaultAddress(t *testing.T) {
	exit, stdout, _ := cli(t, "serve", "-h")
	assert.Equal(t, exitOK, exit)
	assert.Contains(t, stdout, `(default "127.0.0.1:4599")`)

	host, port, err := net.SplitHostPort(defaultServeAddr)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1", host)
	assert.NotEqual(t, "4566", port)
	assert.False(t, port >= "4510" && port <= "4559", port)
}

func TestServeCannotListen(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer busy.Close()

	exit, stdout, stderr := cli(t, "serve", "--addr", busy.Addr().String())

	assert.Equal(t, exitFailure, exit)
	assert.Empty(t, stdout)
	requireOneLine(t, stderr)
	assert.Contains(t, stderr, "address already in use")
}

func TestServeUsageErrors(t *testing.T) {
	exit, _, stderr := cli(t, "serve", "--codes", "-1")
	assert.Equal(t, exitUsage, exit)
	assert.Equal(t, "amplifyuibuilder serve: error: argument --codes: must be 0 or more\n", stderr)

	exit, _, stderr = cli(t, "serve", "--redirect-uri", "/callback")
	assert.Equal(t, exitUsage, exit)
	assert.Equal(t, "amplifyuibuilder serve: error: argument --redirect-uri: must be an absolute URI\n", stderr)

	exit, _, stderr = cli(t, "serve", "now")
	assert.Equal(t, exitUsage, exit)
	assert.Equal(t, "amplifyuibuilder serve: error: Unknown options: now\n", stderr)
}

// TestServeLogLinesAreShort: a request with a 20 KiB method, path and region
// (in its Authorization header), sent without credentials, is logged in one
// short line: each of them is cut.
func TestServeLogLinesAreShort(t *testing.T) {
	isolateAWSConfig(t)
	s := startServe(t, "--addr", "127.0.0.1:0", "--codes", "0")
	long := strings.Repeat("x", 20<<10)
	req, err := http.NewRequest("M"+strings.ToUpper(long), s.url+"/tokens/"+long, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20250601/"+long+"/amplifyuibuilder/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()

	s.stop()
	lines := strings.Split(strings.TrimSuffix(s.stderr.String(), "\n"), "\n")
	require.Len(t, lines, 1)
	m := logLine.FindStringSubmatch(lines[0])
	require.NotNil(t, m, "not a log line: %.300q", lines[0])
	assert.Less(t, len(lines[0]), 1024, "the line")
	assert.True(t, strings.HasPrefix(m[5], "xxx"), "the region's start is kept: %.80s", m[5])
	assert.True(t, strings.HasSuffix(m[3], "..."), "the path says it was cut")
}
