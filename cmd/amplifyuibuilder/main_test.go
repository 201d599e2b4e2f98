package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
)

// cli runs the program through its entry point, as a user would run it, and
// returns the exit code, stdout and stderr.
func cli(t *testing.T, args ...string) (exit int, stdout, stderr string) {
	t.Helper()
	return cliContext(t, context.Background(), args...)
}

func cliContext(t *testing.T, ctx context.Context, args ...string) (exit int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	exit = run(ctx, args, &out, &errOut)
	return exit, out.String(), errOut.String()
}

// isolateAWSConfig keeps the machine's AWS configuration out of the test:
// no AWS_ variable, empty config and credentials files, no instance
// metadata service.
func isolateAWSConfig(t *testing.T) (configFile, credentialsFile string) {
	t.Helper()
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "AWS_") {
			t.Setenv(name, "") // restores it when the test ends
			os.Unsetenv(name)
		}
	}
	dir := t.TempDir()
	configFile, credentialsFile = filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	t.Setenv("AWS_CONFIG_FILE", configFile)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", credentialsFile)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	return configFile, credentialsFile
}

// useServer configures the environment as serve tells a user to, for srv,
// and allows one attempt per call, so that no test waits for a backoff.
func useServer(t *testing.T, srv *amplifyuibuildertest.Server) {
	t.Helper()
	isolateAWSConfig(t)
	creds := srv.Credentials()
	t.Setenv("AWS_ACCESS_KEY_ID", creds.AccessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", creds.SecretAccessKey)
	t.Setenv("AWS_REGION", srv.Region())
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
}

// startServer starts a local endpoint that the test closes when it ends.
func startServer(t *testing.T) *amplifyuibuildertest.Server {
	t.Helper()
	srv := amplifyuibuildertest.NewServer()
	t.Cleanup(srv.Close)
	return srv
}

// requireOneLine checks that a failure was reported on exactly one line.
func requireOneLine(t *testing.T, stderr string) {
	t.Helper()
	assert.Equal(t, 1, strings.Count(stderr, "\n"), "stderr: %q", stderr)
	assert.True(t, strings.HasSuffix(stderr, "\n"), "stderr: %q", stderr)
}

func TestNoCommand(t *testing.T) {
	exit, stdout, stderr := cli(t)

	assert.Equal(t, exitUsage, exit)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "Usage: amplifyuibuilder [options] <command>")
	for _, name := range []string{"exchange-code-for-token", "refresh-token", "serve", "demo"} {
		assert.Contains(t, stderr, name)
	}
}

func TestHelp(t *testing.T) {
	exit, stdout, _ := cli(t, "help")

	assert.Equal(t, exitOK, exit)
	assert.Contains(t, stdout, "Usage: amplifyuibuilder [options] <command>")
}

func TestUnknownCommand(t *testing.T) {
	exit, _, stderr := cli(t, "list-components")

	assert.Equal(t, exitUsage, exit)
	assert.Equal(t, "amplifyuibuilder: error: unknown command \"list-components\"; run 'amplifyuibuilder help' for the list\n", stderr)
}

func TestCommandHelp(t *testing.T) {
	for _, name := range []string{"exchange-code-for-token", "refresh-token", "serve", "demo"} {
		t.Run(name, func(t *testing.T) {
			exit, stdout, stderr := cli(t, name, "-h")

			assert.Equal(t, exitOK, exit)
			assert.Contains(t, stdout, "Usage: amplifyuibuilder "+name)
			assert.Empty(t, stderr)
		})
	}
}
