package interop_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uibuilder-go/amplifyuibuilder/internal/testenv"
)

// callTimeout bounds each run of a client, so that a client that hangs fails
// its test instead of the whole suite's deadline.
const callTimeout = 30 * time.Second

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
	env[endpointVar] = "http://127.0.0.1:9" // never called
	stdout, stderr, err := runProgram(ctx, l, env, args...)
	if err != nil {
		// The last line of a traceback says what failed.
		lines := bytes.Split(bytes.TrimSpace(stderr), []byte("\n"))
		return "", fmt.Errorf("%v: %s", err, lines[len(lines)-1])
	}
	return string(bytes.TrimSpace(stdout)), nil
}

// endpointVar names the endpoint URL the scripts call. It is the variable
// serve prints and newer SDKs read by themselves; the scripts name it
// explicitly, as older ones do not.
const endpointVar = "AWS_ENDPOINT_URL_AMPLIFYUIBUILDER"

// defaultRegion is the region a call is signed for unless its test says
// otherwise.
const defaultRegion = "us-east-1"

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
