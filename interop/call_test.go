package interop_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
)

// call is one client set up against a server of its own: the environment of
// its next run, which the test changes before calling. srv is nil where the
// server runs in another process (serve).
type call struct {
	t        *testing.T
	sdk      *sdk
	launcher launcher
	srv      *amplifyuibuildertest.Server
	env      map[string]string
}

// newCall starts a server for t and sets up s to call it with the server's
// credentials, in defaultRegion.
func newCall(t *testing.T, s *sdk) *call {
	t.Helper()
	l := s.require(t)
	srv := amplifyuibuildertest.NewServer()
	t.Cleanup(srv.Close)
	home := t.TempDir()
	for _, name := range []string{"config", "credentials"} {
		if err := os.WriteFile(filepath.Join(home, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := cleanEnv(home)
	creds := srv.Credentials()
	env["AWS_ACCESS_KEY_ID"] = creds.AccessKeyID
	env["AWS_SECRET_ACCESS_KEY"] = creds.SecretAccessKey
	if creds.SessionToken != "" {
		env["AWS_SESSION_TOKEN"] = creds.SessionToken
	}
	env[endpointVar] = srv.URL
	return &call{t: t, sdk: s, launcher: l, srv: srv, env: env}
}

// withPathPrefix makes the client send every path with prefix before it,
// signed so: in the endpoint URL where the client keeps it, else through
// its script.
func (c *call) withPathPrefix(prefix string) {
	if c.sdk.endpointKeepsDotSegments {
		c.env[endpointVar] = c.srv.URL + prefix
		return
	}
	c.env["INTEROP_PATH_PREFIX"] = prefix
}

// withRegion makes the client sign for region.
func (c *call) withRegion(region string) {
	c.env["AWS_REGION"] = region
	c.env["AWS_DEFAULT_REGION"] = region
}

// withHeader makes the client add the header name: value to every request
// before signing it.
func (c *call) withHeader(name, value string) {
	c.env["INTEROP_HEADER_NAME"] = name
	c.env["INTEROP_HEADER_VALUE"] = value
	if c.launcher.plugin != nil {
		dir, err := os.Getwd()
		if err != nil {
			c.t.Fatal(err)
		}
		config, env := c.launcher.plugin(dir)
		if err := os.WriteFile(c.env["AWS_CONFIG_FILE"], []byte(config), 0o600); err != nil {
			c.t.Fatal(err)
		}
		maps.Copy(c.env, env)
	}
}

// exchange calls ExchangeCodeForToken with code and redirectURI.
func (c *call) exchange(code, redirectURI string) outcome {
	c.t.Helper()
	return c.run("exchange", code, redirectURI)
}

// refresh calls RefreshToken with token.
func (c *call) refresh(token string) outcome {
	c.t.Helper()
	return c.run("refresh", token)
}

// run runs the client's script with args and returns its outcome, or fails
// the test when the script did not report one.
func (c *call) run(args ...string) outcome {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.t.Context(), callTimeout)
	defer cancel()
	stdout, stderr, runErr := runProgram(ctx, c.launcher, c.env, args...)
	got, err := c.sdk.parse(stdout, stderr, runErr)
	if err != nil {
		c.t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr (last part):\n%s\nserver saw: %s",
			c.sdk.name, args[0], err, stdout, tail(stderr, 4000), c.requestSummary())
	}
	return got
}

// requireSuccess fails the test when got is an error answer.
func (c *call) requireSuccess(got outcome) {
	c.t.Helper()
	if got.Error != nil {
		c.t.Fatalf("%s: refused with %d %s: %s\nserver saw: %s",
			c.sdk.name, got.Error.Status, got.Error.Code, got.Error.Message, c.requestSummary())
	}
}

// requestSummary says, for a failure message, what the server received and
// how it answered.
func (c *call) requestSummary() string {
	if c.srv == nil {
		return "(a server of another process)"
	}
	var b strings.Builder
	for i, r := range c.srv.Requests() {
		fmt.Fprintf(&b, "\n  #%d %s %s -> %d %s", i+1, r.Method, r.Path, r.Status, r.ErrorCode)
	}
	if b.Len() == 0 {
		return "nothing"
	}
	return b.String()
}

// tail returns the last n bytes of b.
func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
