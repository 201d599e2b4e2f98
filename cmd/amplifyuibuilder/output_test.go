package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
	"github.com/uibuilder-go/amplifyuibuilder/internal/testenv"
)

// outputCase is a --query whose answer holds nothing random, so that its
// output can be compared byte for byte with the AWS CLI's.
type outputCase struct{ name, query string }

// outputCases reads testdata/awscli/cases.txt. Next to it, NAME.FORMAT is
// what AWS CLI 2.9.19 printed for the case, with --output FORMAT, calling
// RefreshToken on the local endpoint (see TestOutputMatchesAWSCLILive).
func outputCases(t *testing.T) []outputCase {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "awscli", "cases.txt"))
	require.NoError(t, err)
	defer f.Close()
	var cases []outputCase
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		name, query, ok := strings.Cut(lines.Text(), "\t")
		require.True(t, ok, "line %q", lines.Text())
		cases = append(cases, outputCase{name, query})
	}
	require.NotEmpty(t, cases)
	return cases
}

// refreshTokenFor issues a refresh token at srv, through an exchange.
func refreshTokenFor(t *testing.T, srv *amplifyuibuildertest.Server) string {
	t.Helper()
	exit, stdout, stderr := cli(t, exchangeArgs(srv, srv.IssueCode(redirectURI))...)
	require.Equal(t, exitOK, exit, "stderr: %s", stderr)
	return decodeOutput(t, stdout).RefreshToken
}

// args is the command line of the case's call, the same for the AWS CLI
// (after "amplifyuibuilder") and for this command.
func (c outputCase) args(srv *amplifyuibuildertest.Server, refreshToken, format string) []string {
	return []string{"refresh-token", "--endpoint-url", srv.URL, "--provider", "figma",
		"--refresh-token-body", "token=" + refreshToken, "--query", c.query, "--output", format}
}

// forEachOutputCase runs test for each recorded case and output format, on
// one local endpoint, with a refresh token it issued.
func forEachOutputCase(t *testing.T, test func(t *testing.T, c outputCase, format string, args []string)) {
	t.Helper()
	srv := startServer(t)
	useServer(t, srv)
	token := refreshTokenFor(t, srv)
	for _, c := range outputCases(t) {
		for _, format := range outputFormats {
			t.Run(c.name+"."+format, func(t *testing.T) {
				test(t, c, format, c.args(srv, token, format))
			})
		}
	}
}

// TestOutputMatchesAWSCLI: every --output format, on answers of many
// shapes selected with --query, prints exactly what the AWS CLI printed.
func TestOutputMatchesAWSCLI(t *testing.T) {
	forEachOutputCase(t, func(t *testing.T, c outputCase, format string, args []string) {
		want, err := os.ReadFile(filepath.Join("testdata", "awscli", c.name+"."+format))
		require.NoError(t, err)

		exit, stdout, stderr := cli(t, args...)

		require.Equal(t, exitOK, exit, "stderr: %s", stderr)
		assert.Equal(t, string(want), stdout)
	})
}

// TestOutputMatchesAWSCLILive runs the installed AWS CLI on the same calls
// and compares, so that the recorded outputs stay the AWS CLI's.
func TestOutputMatchesAWSCLILive(t *testing.T) {
	aws := awsCLI(t)
	forEachOutputCase(t, func(t *testing.T, c outputCase, format string, args []string) {
		t.Parallel() // the AWS CLI takes most of a second to start
		cmd := exec.Command(aws, append([]string{"amplifyuibuilder"}, args...)...)
		cmd.Env = append(os.Environ(), "AWS_PAGER=")
		var awsOut, awsErr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &awsOut, &awsErr
		require.NoError(t, cmd.Run(), "aws: %s", awsErr.String())

		exit, stdout, stderr := cli(t, args...)

		require.Equal(t, exitOK, exit, "stderr: %s", stderr)
		assert.Equal(t, awsOut.String(), stdout)
	})
}

// awsCLI returns the path of a working AWS CLI, Debian's first (a shim on
// PATH may lead nowhere), or stops the test through testenv.Unavailable.
func awsCLI(t *testing.T) string {
	t.Helper()
	candidates := []string{"/usr/bin/aws"}
	if p, err := exec.LookPath("aws"); err == nil {
		candidates = append(candidates, p)
	}
	for _, p := range candidates {
		if exec.Command(p, "--version").Run() == nil {
			return p
		}
	}
	testenv.Unavailable(t, "the AWS CLI is not installed (apt-get install awscli)")
	return ""
}

func TestTableOfAnExchange(t *testing.T) {
	srv := startServer(t)
	useServer(t, srv)

	exit, stdout, stderr := cli(t, exchangeArgs(srv, srv.IssueCode(redirectURI), "--output", "table")...)

	require.Equal(t, exitOK, exit, "stderr: %s", stderr)
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	require.Len(t, lines, 7, stdout)
	assert.Regexp(t, `^\|\s+ExchangeCodeForToken\s+\|$`, lines[1])
	assert.Regexp(t, `^\|  accessToken  \|  access-\S+\s+\|$`, lines[3])
	assert.Regexp(t, `^\|  expiresIn    \|  3600\s+\|$`, lines[4])
	assert.Regexp(t, `^\|  refreshToken \|  refresh-\S+\s+\|$`, lines[5])
}

func TestQuerySelectsFromTheAnswer(t *testing.T) {
	srv := startServer(t)
	useServer(t, srv)

	exit, stdout, stderr := cli(t, exchangeArgs(srv, srv.IssueCode(redirectURI), "--query", "accessToken", "--output", "text")...)

	require.Equal(t, exitOK, exit, "stderr: %s", stderr)
	assert.True(t, srv.AccessTokenValid(strings.TrimSuffix(stdout, "\n")), stdout)
}

// TestQueryIsTheAWSCLIsJMESPath: arithmetic, which JMESPath Community
// added, is refused as the AWS CLI refuses it, before anything is sent.
func TestQueryIsTheAWSCLIsJMESPath(t *testing.T) {
	srv := startServer(t)
	useServer(t, srv)

	exit, _, stderr := cli(t, "refresh-token", "--endpoint-url", srv.URL, "--provider", "figma",
		"--refresh-token-body", "token=t", "--query", "expiresIn / `60`")

	assert.Equal(t, exitUsage, exit)
	assert.Contains(t, stderr, "Bad value for --query expiresIn / `60`: Invalid jmespath expression")
	assert.Empty(t, srv.Requests())
}

// TestOutputFormatSources: --output, then AWS_DEFAULT_OUTPUT, then the
// profile's output setting, then json.
func TestOutputFormatSources(t *testing.T) {
	srv := startServer(t)
	tests := []struct {
		name, env, profileOutput, flag string
		want                           string // the first line printed
	}{
		{"default", "", "", "", "{"},
		{"profile", "", "text", "", "None"},
		{"environment over profile", "yaml", "text", "", "null"},
		{"flag over both", "yaml", "text", "json", "null"},
		{"flag table", "", "", "table", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			useServer(t, srv)
			configFile, _ := isolateAWSConfig(t)
			useServer(t, srv)
			t.Setenv("AWS_CONFIG_FILE", configFile)
			if tt.profileOutput != "" {
				require.NoError(t, os.WriteFile(configFile, []byte("[default]\noutput = "+tt.profileOutput+"\n"), 0o600))
			}
			if tt.env != "" {
				t.Setenv("AWS_DEFAULT_OUTPUT", tt.env)
			}
			args := []string{"refresh-token", "--generate-cli-skeleton", "output", "--provider", "figma", "--refresh-token-body", "token=t"}
			if tt.want != "{" {
				args = append(args, "--query", "nothing")
			}
			if tt.flag != "" {
				args = append(args, "--output", tt.flag)
			}

			exit, stdout, stderr := cli(t, args...)

			require.Equal(t, exitOK, exit, "stderr: %s", stderr)
			first, _, _ := strings.Cut(stdout, "\n")
			assert.Equal(t, tt.want, first, "stdout: %q", stdout)
		})
	}
}

func TestOutputOfANamedProfile(t *testing.T) {
	srv := startServer(t)
	configFile, credentialsFile := isolateAWSConfig(t)
	creds := srv.Credentials()
	require.NoError(t, os.WriteFile(configFile, []byte("[default]\noutput = json\n[profile local]\nregion = "+srv.Region()+"\noutput = text\n"), 0o600))
	require.NoError(t, os.WriteFile(credentialsFile, []byte("[local]\naws_access_key_id = "+creds.AccessKeyID+"\naws_secret_access_key = "+creds.SecretAccessKey+"\n"), 0o600))

	exit, stdout, stderr := cli(t, exchangeArgs(srv, srv.IssueCode(redirectURI), "--profile", "local")...)

	require.Equal(t, exitOK, exit, "stderr: %s", stderr)
	assert.Len(t, strings.Split(strings.TrimSuffix(stdout, "\n"), "\t"), 3, "text output: %q", stdout)
}
