package interop_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
	"github.com/uibuilder-go/amplifyuibuilder/internal/testenv"
)

// callTimeout bounds each run of a client, so that a client that hangs fails
// its test instead of the whole suite's deadline.
const callTimeout = 30 * time.Second

// defaultRegion is the region a call is signed for unless its test says
// otherwise.
const defaultRegion = "us-east-1"

// outcome is what one call of a client came to, as the scripts print it: the
// output members, or the error the client raised.
type outcome struct {
	AccessToken  string   `json:"accessToken"`
	ExpiresIn    *int64   `json:"expiresIn"`
	RefreshToken string   `json:"refreshToken"`
	Error        *refusal `json:"error"`
}

// refusal is an error answer as the client reports it.
type refusal struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	RequestID string `json:"requestId"`
	Status    int    `json:"status"`
	// Modeled is whether the client raised its class for the modeled
	// InvalidParameterException, where it has one.
	Modeled bool `json:"modeled"`
}

// launcher is how to run a client's script, once it has been found.
type launcher struct {
	argv    []string          // the command line before the script's arguments
	env     map[string]string // what this client adds to every call's environment
	version string            // the client's version, for the test log

	// plugin, where the client loads interop_note.py (which adds
	// INTEROP_HEADER_NAME before signing) only as a plugin named in its
	// config file, returns that config file and the environment it needs,
	// for the plugin in directory dir.
	plugin func(dir string) (config string, env map[string]string)
}

// sdk is one of the clients the tests drive, through its script in this
// directory.
type sdk struct {
	name string

	// script is the file that calls the endpoint; README.md shows the part
	// of it between its README markers.
	script string

	// find locates the client and returns how to run it, or an error that
	// says what is missing and how to install it.
	find func(ctx context.Context) (launcher, error)

	// reportsModeled is whether the client's output tells a modeled
	// exception from another error answer.
	reportsModeled bool

	// endpointKeepsDotSegments is whether the client sends the path of its
	// endpoint URL as it is given, dot segments included. One that does
	// not (the JS SDK parses it as a WHATWG URL) gets the prefix from
	// INTEROP_PATH_PREFIX, which its script adds to the path before signing.
	endpointKeepsDotSegments bool

	// parse turns what the script printed, and how it exited, into an
	// outcome.
	parse func(stdout, stderr []byte, runErr error) (outcome, error)

	once     sync.Once
	launcher launcher
	missing  error
}

// sdks are the clients every interop test runs with.
var sdks = []*sdk{
	{
		name:                     "boto3",
		script:                   "boto3_client.py",
		find:                     findBoto3,
		reportsModeled:           true,
		endpointKeepsDotSegments: true,
		parse:                    parseJSONOutcome,
	},
	{
		name:                     "awscli",
		script:                   "awscli.sh",
		find:                     findAWSCLI,
		endpointKeepsDotSegments: true,
		parse:                    parseAWSCLIOutcome,
	},
	{
		name:           "js",
		script:         "js_client.mjs",
		find:           findJS,
		reportsModeled: true,
		parse:          parseJSONOutcome,
	},
}

// require returns how to run the client, or stops t, with a skip or a
// failure as testenv decides, when the client is missing.
func (s *sdk) require(t *testing.T) launcher {
	t.Helper()
	s.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		s.launcher, s.missing = s.find(ctx)
	})
	if s.missing != nil {
		testenv.Unavailable(t, "%s: %v", s.name, s.missing)
	}
	t.Logf("%s: %s", s.name, s.launcher.version)
	return s.launcher
}

// program returns preferred when it is an executable file, else name as
// found on PATH, else "". The Debian clients live in /usr/bin; a PATH may
// put other Pythons (pyenv shims with a pip boto3) before them.
func program(preferred, name string) string {
	if info, err := os.Stat(preferred); err == nil && info.Mode().IsRegular() && info.Mode().Perm()&0o111 != 0 {
		return preferred
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	return ""
}

func findBoto3(ctx context.Context) (launcher, error) {
	python := program("/usr/bin/python3", "python3")
	if python == "" {
		return launcher{}, errors.New("python3 is not installed (apt-get install python3-boto3)")
	}
	l := launcher{argv: []string{python, "boto3_client.py"}}
	out, err := runVersion(ctx, l, "version")
	if err != nil {
		return launcher{}, fmt.Errorf("%s cannot run boto3 (apt-get install python3-boto3): %w", python, err)
	}
	l.version = python + " " + out
	return l, nil
}

func findAWSCLI(ctx context.Context) (launcher, error) {
	aws := program("/usr/bin/aws", "aws")
	if aws == "" {
		return launcher{}, errors.New("the AWS CLI is not installed (apt-get install awscli)")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		return launcher{}, errors.New("no sh to run awscli.sh")
	}
	version, err := runVersion(ctx, launcher{argv: []string{aws}}, "--version")
	if err != nil {
		return launcher{}, fmt.Errorf("%s does not run: %w", aws, err)
	}
	// --debug logs the request id and status of each answer, which the
	// AWS CLI prints nowhere else.
	return launcher{
		argv:    []string{sh, "awscli.sh"},
		env:     map[string]string{"AWS_CLI": aws, "AWS_CLI_OPTIONS": "--debug"},
		version: aws + " " + version,
		plugin:  awsCLIPlugin(version),
	}, nil
}

// awsCLIPlugin returns how the AWS CLI whose --version is version loads
// interop_note.py as a plugin: version 2 from the directory its config
// names as cli_legacy_plugin_path, version 1 from its Python path.
func awsCLIPlugin(version string) func(dir string) (string, map[string]string) {
	const section = "[plugins]\ninterop_note = interop_note\n"
	if strings.HasPrefix(version, "aws-cli/1.") {
		return func(dir string) (string, map[string]string) {
			return section, map[string]string{"PYTHONPATH": dir}
		}
	}
	return func(dir string) (string, map[string]string) {
		return section + "cli_legacy_plugin_path = " + dir + "\n", nil
	}
}

func findJS(ctx context.Context) (launcher, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return launcher{}, errors.New("node is not installed (apt-get install nodejs npm)")
	}
	if _, err := os.Stat(filepath.Join("node_modules", "@aws-sdk", "client-amplifyuibuilder")); err != nil {
		return launcher{}, errors.New("@aws-sdk/client-amplifyuibuilder is not installed: run npm ci in interop/")
	}
	l := launcher{argv: []string{node, "js_client.mjs"}}
	out, err := runVersion(ctx, l, "version")
	if err != nil {
		return launcher{}, fmt.Errorf("%s cannot load the JS SDK (npm ci in interop/): %w", node, err)
	}
	l.version = out
	return l, nil
}

// runVersion runs l with args in a clean environment and returns what it
// printed.
func runVersion(ctx context.Context, l launcher, args ...string) (string, error) {
	home, err := os.MkdirTemp("", "interop-version-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(home)
	env := cleanEnv(home)
	env["AMPLIFYUIBUILDER_ENDPOINT"] = "http://127.0.0.1:9" // never called
	stdout, stderr, err := runProgram(ctx, l, env, args...)
	if err != nil {
		return "", fmt.Errorf("%v: %s", err, bytes.TrimSpace(stderr))
	}
	return string(bytes.TrimSpace(stdout)), nil
}

// cleanEnv is the environment every client runs in: no configuration,
// credentials, proxy or instance metadata but what the test gives it, and a
// home directory of its own.
func cleanEnv(home string) map[string]string {
	noProxy := "127.0.0.1,localhost,::1"
	return map[string]string{
		"PATH":                        os.Getenv("PATH"),
		"HOME":                        home,
		"AWS_CONFIG_FILE":             filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(home, "credentials"),
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_REGION":                  defaultRegion,
		"AWS_DEFAULT_REGION":          defaultRegion, // the only one AWS CLI 1 reads
		"AWS_PAGER":                   "",
		"AWS_DEFAULT_OUTPUT":          "json",
		"NO_PROXY":                    noProxy,
		"no_proxy":                    noProxy,
		"PYTHONDONTWRITEBYTECODE":     "1", // no __pycache__ in the repository
		"PYTHONNOUSERSITE":            "1",
		"NODE_NO_WARNINGS":            "1",
	}
}

// runProgram runs l's command line with args and env, in this directory,
// and returns what it printed. It ends the program when ctx ends.
func runProgram(ctx context.Context, l launcher, env map[string]string, args ...string) (stdout, stderr []byte, err error) {
	cmd := exec.CommandContext(ctx, l.argv[0], append(l.argv[1:len(l.argv):len(l.argv)], args...)...)
	cmd.Env = make([]string, 0, len(env)+len(l.env))
	for k, v := range env {
		if _, overridden := l.env[k]; !overridden {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	for k, v := range l.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("%w (%v)", ctx.Err(), err)
	}
	return out.Bytes(), errOut.Bytes(), err
}

// call is one client set up against a server of its own: the environment of
// its next run, which the test changes before calling.
type call struct {
	t        *testing.T
	sdk      *sdk
	launcher launcher
	srv      *amplifyuibuildertest.Server
	home     string
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
	env["AMPLIFYUIBUILDER_ENDPOINT"] = srv.URL
	return &call{t: t, sdk: s, launcher: l, srv: srv, home: home, env: env}
}

// withPathPrefix makes the client send every path with prefix before it,
// signed so: in the endpoint URL where the client keeps it, else through
// its script.
func (c *call) withPathPrefix(prefix string) {
	if c.sdk.endpointKeepsDotSegments {
		c.env["AMPLIFYUIBUILDER_ENDPOINT"] = c.srv.URL + prefix
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

// parseJSONOutcome reads the one JSON object that boto3_client.py and
// js_client.mjs print.
func parseJSONOutcome(stdout, stderr []byte, runErr error) (outcome, error) {
	if runErr != nil {
		return outcome{}, runErr
	}
	var got outcome
	if err := json.Unmarshal(bytes.TrimSpace(stdout), &got); err != nil {
		return outcome{}, fmt.Errorf("output is not one JSON object: %w", err)
	}
	return got, nil
}

// What the AWS CLI prints of an error answer: its one line on stderr, and,
// with --debug, the status and headers of each answer.
var (
	awsCLIErrorLine = regexp.MustCompile(`(?m)^An error occurred \(([^)]*)\) when calling the \w+ operation(?: \(reached max retries: \d+\))?: (.*)$`)
	awsCLIStatus    = regexp.MustCompile(`"(?:POST|GET) [^"]*" (\d{3}) `)
	awsCLIRequestID = regexp.MustCompile(`(?i)'x-amzn-requestid': '([^']*)'`)
)

// The AWS CLI's exit status for an error answered by the service: 254 from
// version 2, 255 (any failure) from version 1.
const (
	awsCLIServiceError = 254
	awsCLI1AnyFailure  = 255
)

// parseAWSCLIOutcome reads the AWS CLI's JSON output, or the error it
// reported and what its debug log says of the last answer.
func parseAWSCLIOutcome(stdout, stderr []byte, runErr error) (outcome, error) {
	if runErr == nil {
		var got outcome
		if err := json.Unmarshal(stdout, &got); err != nil {
			return outcome{}, fmt.Errorf("output is not JSON: %w", err)
		}
		return got, nil
	}
	var exit *exec.ExitError
	if !errors.As(runErr, &exit) || (exit.ExitCode() != awsCLIServiceError && exit.ExitCode() != awsCLI1AnyFailure) {
		return outcome{}, runErr
	}
	m := awsCLIErrorLine.FindSubmatch(stderr)
	if m == nil {
		return outcome{}, fmt.Errorf("exit status %d without the AWS CLI's error line", exit.ExitCode())
	}
	r := &refusal{Code: string(m[1]), Message: string(m[2])}
	if all := awsCLIStatus.FindAllSubmatch(stderr, -1); len(all) > 0 {
		fmt.Sscan(string(all[len(all)-1][1]), &r.Status)
	}
	if all := awsCLIRequestID.FindAllSubmatch(stderr, -1); len(all) > 0 {
		r.RequestID = string(all[len(all)-1][1])
	}
	return outcome{Error: r}, nil
}
