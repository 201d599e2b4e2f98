package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

func TestInputSkeleton(t *testing.T) {
	exit, stdout, stderr := cli(t, "exchange-code-for-token", "--generate-cli-skeleton")

	require.Equal(t, exitOK, exit, "stderr: %s", stderr)
	assert.Equal(t, `{
    "provider": "figma",
    "request": {
        "code": "",
        "redirectUri": "",
        "clientId": ""
    }
}
`, stdout)

	exit, stdout, _ = cli(t, "refresh-token", "--generate-cli-skeleton", "input")
	require.Equal(t, exitOK, exit)
	assert.Equal(t, "{\n    \"provider\": \"figma\",\n    \"refreshTokenBody\": {\n        \"token\": \"\",\n        \"clientId\": \"\"\n    }\n}\n", stdout)
}

func TestYAMLInputSkeleton(t *testing.T) {
	exit, stdout, stderr := cli(t, "exchange-code-for-token", "--generate-cli-skeleton", "yaml-input")

	require.Equal(t, exitOK, exit, "stderr: %s", stderr)
	assert.Equal(t, `provider: figma  # [REQUIRED] The third-party provider for the token. Valid values are: figma.
request: # [REQUIRED] Describes the configuration of the request.
  code: ''  # [REQUIRED] The access code to send in the request.
  redirectUri: ''  # [REQUIRED] The location of the application that will receive the access code.
  clientId: ''  # The ID of the client to request the token from.
`, stdout)
	var doc map[string]any
	require.NoError(t, yaml.Unmarshal([]byte(stdout), &doc))
	assert.Equal(t, map[string]any{"provider": "figma", "request": map[string]any{"code": "", "redirectUri": "", "clientId": ""}}, doc)
}

// TestOutputSkeleton: the answer's shape, printed through --output and
// --query, without calling the service or reading any configuration.
func TestOutputSkeleton(t *testing.T) {
	isolateAWSConfig(t)

	exit, stdout, stderr := cli(t, "exchange-code-for-token", "--provider", "figma", "--request", "code=c,redirectUri=r", "--generate-cli-skeleton", "output")

	require.Equal(t, exitOK, exit, "stderr: %s", stderr)
	assert.Equal(t, "{\n    \"accessToken\": \"accessToken\",\n    \"expiresIn\": 0,\n    \"refreshToken\": \"refreshToken\"\n}\n", stdout)

	exit, stdout, _ = cli(t, "refresh-token", "--provider", "figma", "--refresh-token-body", "token=t", "--generate-cli-skeleton=output", "--output", "yaml")
	require.Equal(t, exitOK, exit)
	assert.Equal(t, "accessToken: accessToken\nexpiresIn: 0\n", stdout)

	// As in the AWS CLI, the output skeleton needs the required arguments.
	exit, _, stderr = cli(t, "refresh-token", "--generate-cli-skeleton", "output")
	assert.Equal(t, exitUsage, exit)
	assert.Contains(t, stderr, "the following arguments are required: --provider, --refresh-token-body")
}

// TestCLIInputJSON: the skeleton, filled in, makes the call; options on the
// command line win over the document's.
func TestCLIInputJSON(t *testing.T) {
	srv := startServer(t)
	useServer(t, srv)
	_, skeleton, _ := cli(t, "exchange-code-for-token", "--generate-cli-skeleton")
	code := srv.IssueCode(redirectURI)
	filled := strings.NewReplacer(`"code": ""`, `"code": "`+code+`"`, `"redirectUri": ""`, `"redirectUri": "`+redirectURI+`"`, `"clientId": ""`, `"clientId": "c-1"`).Replace(skeleton)
	path := filepath.Join(t.TempDir(), "input.json")
	require.NoError(t, os.WriteFile(path, []byte(filled), 0o600))

	exit, stdout, stderr := cli(t, "exchange-code-for-token", "--endpoint-url", srv.URL, "--cli-input-json", "file://"+path)

	require.Equal(t, exitOK, exit, "stderr: %s", stderr)
	assert.True(t, srv.AccessTokenValid(decodeOutput(t, stdout).AccessToken))
	assert.Equal(t, map[string]string{"code": code, "redirectUri": redirectURI, "clientId": "c-1"}, lastBody(t, srv))

	t.Run("command line wins", func(t *testing.T) {
		code := srv.IssueCode(redirectURI)
		input := `{"provider": "not-figma", "request": {"code": "stale", "redirectUri": "x"}}`

		exit, _, stderr := cli(t, "exchange-code-for-token", "--endpoint-url", srv.URL, "--cli-input-json", input,
			"--provider", "figma", "--request", "code="+code+",redirectUri="+redirectURI)

		require.Equal(t, exitOK, exit, "stderr: %s", stderr)
		assert.Equal(t, map[string]string{"code": code, "redirectUri": redirectURI}, lastBody(t, srv))
		assert.Equal(t, "/tokens/figma", srv.Requests()[len(srv.Requests())-1].Path)
	})
	t.Run("document completes the command line", func(t *testing.T) {
		code := srv.IssueCode(redirectURI)
		input := fmt.Sprintf(`{"request": {"code": %q, "redirectUri": %q}}`, code, redirectURI)

		exit, _, stderr := cli(t, "exchange-code-for-token", "--endpoint-url", srv.URL, "--provider", "figma", "--cli-input-json", input)

		require.Equal(t, exitOK, exit, "stderr: %s", stderr)
		assert.Equal(t, code, lastBody(t, srv)["code"])
	})
}

func TestCLIInputYAML(t *testing.T) {
	srv := startServer(t)
	useServer(t, srv)
	token := refreshTokenFor(t, srv)
	input := "provider: figma  # a comment\nrefreshTokenBody:\n  token: '" + token + "'\n"

	exit, stdout, stderr := cli(t, "refresh-token", "--endpoint-url", srv.URL, "--cli-input-yaml", input)

	require.Equal(t, exitOK, exit, "stderr: %s", stderr)
	assert.True(t, srv.AccessTokenValid(decodeOutput(t, stdout).AccessToken))
	assert.Equal(t, map[string]string{"token": token}, lastBody(t, srv))
}

// TestNoSignRequest: the request goes out without a signature, and needs no
// credentials at all.
func TestNoSignRequest(t *testing.T) {
	srv := startServer(t)
	useServer(t, srv)
	os.Unsetenv("AWS_ACCESS_KEY_ID")
	os.Unsetenv("AWS_SECRET_ACCESS_KEY")

	exit, _, stderr := cli(t, "refresh-token", "--endpoint-url", srv.URL, "--no-sign-request", "--provider", "figma", "--refresh-token-body", "token=t")

	// The local endpoint, as AWS, refuses an unsigned request.
	assert.Equal(t, exitServiceError, exit)
	assert.Contains(t, stderr, "An error occurred (MissingAuthenticationTokenException) when calling the RefreshToken operation")
	require.Len(t, srv.Requests(), 1)
	assert.Empty(t, srv.Requests()[0].Header.Get("Authorization"))
	assert.Empty(t, srv.Requests()[0].Header.Get("X-Amz-Date"))
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"refresh-token", "--version"}, {"exchange-code-for-token", "--provider", "figma", "--version"}} {
		exit, stdout, _ := cli(t, args...)

		assert.Equal(t, exitOK, exit)
		assert.Regexp(t, regexp.MustCompile(`^amplifyuibuilder/\S+ Go/`+regexp.QuoteMeta(strings.TrimPrefix(runtime.Version(), "go"))+` `+runtime.GOOS+`/`+runtime.GOARCH+"\n$"), stdout, args)
	}
}

// TestCommandHelpForms: "COMMAND help", "help COMMAND", --help and -h all
// print the command's options, GNU-style.
func TestCommandHelpForms(t *testing.T) {
	for _, args := range [][]string{
		{"exchange-code-for-token", "help"},
		{"help", "exchange-code-for-token"},
		{"exchange-code-for-token", "--help"},
		{"exchange-code-for-token", "--provider", "figma", "-h"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			exit, stdout, stderr := cli(t, args...)

			assert.Equal(t, exitOK, exit)
			assert.Empty(t, stderr)
			assert.Contains(t, stdout, "Usage: amplifyuibuilder exchange-code-for-token --provider figma --request")
			for _, flag := range []string{"--provider string", "--request string", "--query expression", "--output format",
				"--cli-input-json string", "--cli-input-yaml string", "--generate-cli-skeleton string[=\"input\"]",
				"--no-sign-request", "--cli-connect-timeout seconds", "--cli-read-timeout seconds", "--debug"} {
				assert.Contains(t, stdout, "  "+flag)
			}
			assert.NotRegexp(t, `(?m)^\s+-[a-z]`, stdout, "no single-dash flags")
		})
	}
}

// TestGlobalOptionsBeforeTheCommand: as in the AWS CLI, global options may
// come first, in both --name value and --name=value forms.
func TestGlobalOptionsBeforeTheCommand(t *testing.T) {
	srv := startServer(t)
	useServer(t, srv)
	code := srv.IssueCode(redirectURI)

	exit, stdout, stderr := cli(t, "--endpoint-url", srv.URL, "--output=text", "--query", "expiresIn",
		"exchange-code-for-token", "--provider=figma", "--request", "code="+code+",redirectUri="+redirectURI)

	require.Equal(t, exitOK, exit, "stderr: %s", stderr)
	assert.Equal(t, "3600\n", stdout)
}
