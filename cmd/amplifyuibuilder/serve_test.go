package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServe starts serve through the entry point, follows what it prints to
// exchange a code with the CLI, and stops it by cancelling its context.
func TestServe(t *testing.T) {
	isolateAWSConfig(t)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	stdoutReader, stdoutWriter := io.Pipe()
	exited := make(chan int, 1)
	go func() {
		var stderr strings.Builder
		exited <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--codes", "2", "--redirect-uri", redirectURI}, stdoutWriter, &stderr)
		stdoutWriter.Close()
	}()

	// Read up to the line that says it serves; keep the rest for the end.
	lines := bufio.NewScanner(stdoutReader)
	var banner []string
	for lines.Scan() {
		banner = append(banner, lines.Text())
		if strings.HasPrefix(lines.Text(), "Serving until interrupted") {
			break
		}
	}
	printed := strings.Join(banner, "\n")
	rest := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(stdoutReader)
		rest <- string(b)
	}()

	url := regexp.MustCompile(`local endpoint: (http://127\.0\.0\.1:\d+)`).FindStringSubmatch(printed)
	require.NotNil(t, url, printed)
	for _, export := range regexp.MustCompile(`export (AWS_[A-Z_]+)=(\S+)`).FindAllStringSubmatch(printed, -1) {
		t.Setenv(export[1], export[2])
	}
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	codes := regexp.MustCompile(`(?m)^  (code-\S+)$`).FindAllStringSubmatch(printed, -1)
	require.Len(t, codes, 2, printed)
	assert.Contains(t, printed, "exchange-code-for-token --provider figma --request code="+codes[0][1]+",redirectUri="+redirectURI)

	// The printed environment alone finds the endpoint.
	exit, stdout, stderr := cli(t, "exchange-code-for-token", "--provider", "figma",
		"--request", "code="+codes[1][1]+",redirectUri="+redirectURI)
	require.Equal(t, exitOK, exit, "stderr: %s", stderr)
	assert.Contains(t, stdout, `"accessToken": "access-`)

	stop()
	assert.Equal(t, exitOK, <-exited)
	assert.Equal(t, "Stopped.\n", <-rest)
	_, err := net.Dial("tcp", strings.TrimPrefix(url[1], "http://"))
	assert.Error(t, err, "the listener is closed")
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

	exit, _, stderr = cli(t, "serve", "now")
	assert.Equal(t, exitUsage, exit)
	assert.Equal(t, "amplifyuibuilder serve: error: Unknown options: now\n", stderr)
}
