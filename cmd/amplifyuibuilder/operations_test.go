package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
)

const redirectURI = "https://example.com/callback"

// tokenOutput is what --output json prints for a token operation.
type tokenOutput struct {
	AccessToken  string `json:"accessToken"`
	ExpiresIn    int    `json:"expiresIn"`
	RefreshToken string `json:"refreshToken"`
}

func decodeOutput(t *testing.T, stdout string) tokenOutput {
	t.Helper()
	var out tokenOutput
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&out), "stdout: %q", stdout)
	return out
}

// exchangeArgs returns the command line of an exchange of code at srv, in
// shorthand, followed by options.
func exchangeArgs(srv *amplifyuibuildertest.Server, code string, options ...string) []string {
	return append([]string{"exchange-code-for-token", "--endpoint-url", srv.URL,
		"--provider", "figma", "--request", "code=" + code + ",redirectUri=" + redirectURI}, options...)
}

// lastBody returns the body of the server's last request.
func lastBody(t *testing.T, srv *amplifyuibuildertest.Server) map[string]string {
	t.Helper()
	requests := srv.Requests()
	require.NotEmpty(t, requests)
	var body map[string]string
	require.NoError(t, json.Unmarshal(requests[len(requests)-1].Body, &body))
	return body
}

func TestExchangeCodeForTokenArgumentForms(t *testing.T) {
	dir := t.TempDir()
	writeFile := func(name, content string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
		return path
	}
	tests := []struct {
		name    string
		request func(code string) string
		want    map[string]string // the body the server receives; CODE stands for the code
	}{{
		name:    "shorthand",
		request: func(code string) string { return "code=" + code + ",redirectUri=" + redirectURI },
		want:    map[string]string{"code": "CODE", "redirectUri": redirectURI},
	}, {
		name: "shorthand with clientId and spaces",
		request: func(code string) string {
			return "code=" + code + ", redirectUri=" + redirectURI + " , clientId=client-1"
		},
		want: map[string]string{"code": "CODE", "redirectUri": redirectURI, "clientId": "client-1"},
	}, {
		name: "JSON",
		request: func(code string) string {
			return fmt.Sprintf(`{"code":%q,"redirectUri":%q,"clientId":"c"}`, code, redirectURI)
		},
		want: map[string]string{"code": "CODE", "redirectUri": redirectURI, "clientId": "c"},
	}, {
		name: "file:// with JSON",
		request: func(code string) string {
			return "file://" + writeFile("request.json", fmt.Sprintf("{\n  \"code\": %q,\n  \"redirectUri\": %q\n}\n", code, redirectURI))
		},
		want: map[string]string{"code": "CODE", "redirectUri": redirectURI},
	}, {
		name: "file:// with shorthand",
		request: func(code string) string {
			return "file://" + writeFile("request.txt", "code="+code+",redirectUri="+redirectURI+"\n")
		},
		want: map[string]string{"code": "CODE", "redirectUri": redirectURI},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t)
			useServer(t, srv)
			code := srv.IssueCode(redirectURI)

			exit, stdout, stderr := cli(t, "exchange-code-for-token", "--endpoint-url", srv.URL,
				"--provider", "figma", "--request", tt.request(code))

			require.Equal(t, exitOK, exit, "stderr: %s", stderr)
			assert.Empty(t, stderr)
			out := decodeOutput(t, stdout)
			assert.True(t, srv.AccessTokenValid(out.AccessToken))
			assert.NotEmpty(t, out.RefreshToken)
			assert.Equal(t, 3600, out.ExpiresIn)
			want := map[string]string{}
			for k, v := range tt.want {
				want[k] = strings.ReplaceAll(v, "CODE", code)
			}
			assert.Equal(t, want, lastBody(t, srv))
		})
	}
}

func TestJSONOutputIsTheAWSCLIs(t *testing.T) {
	srv := startServer(t)
	useServer(t, srv)
	code := srv.IssueCode(redirectURI)

	exit, stdout, _ := cli(t, exchangeArgs(srv, code)...)

	require.Equal(t, exitOK, exit)
	out := decodeOutput(t, stdout)
	want := fmt.Sprintf("{\n    \"accessToken\": %q,\n    \"expiresIn\": 3600,\n    \"refreshToken\": %q\n}\n", out.AccessToken, out.RefreshToken)
	assert.Equal(t, want, stdout)
}

func TestTextOutput(t *testing.T) {
	srv := startServer(t)
	useServer(t, srv)
	code := srv.IssueCode(redirectURI)

	exit, stdout, _ := cli(t, exchangeArgs(srv, code, "--output", "text")...)

	require.Equal(t, exitOK, exit)
	fields := strings.Split(strings.TrimSuffix(stdout, "\n"), "\t")
	require.Len(t, fields, 3, "stdout: %q", stdout)
	assert.True(t, srv.AccessTokenValid(fields[0]), "accessToken first")
	assert.Equal(t, "3600", fields[1])
	assert.True(t, strings.HasPrefix(fields[2], "refresh-"), "refreshToken last")
}

func TestShorthandQuotingAndEscaping(t *testing.T) {
	for _, tt := range []struct{ name, value, want string }{
		{"value with '='", "https://app.example/cb?a=1&b=2", "https://app.example/cb?a=1&b=2"},
		{"escaped comma", `https://app.example/cb?x=1\,2`, "https://app.example/cb?x=1,2"},
		{"single-quoted comma", `'https://app.example/cb?x=1,2'`, "https://app.example/cb?x=1,2"},
		{"double-quoted with escaped quote", `"https://app.example/cb?q=\"a,b\""`, `https://app.example/cb?q="a,b"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t)
			useServer(t, srv)
			code := srv.IssueCode(tt.want)

			exit, _, stderr := cli(t, "exchange-code-for-token", "--endpoint-url", srv.URL,
				"--provider", "figma", "--request", "code="+code+",redirectUri="+tt.value)

			require.Equal(t, exitOK, exit, "stderr: %s", stderr)
			assert.Equal(t, tt.want, lastBody(t, srv)["redirectUri"])
		})
	}
}

// TestUsageErrors: a command line that cannot run exits 252 with one line on
// stderr, quotes no secret, and sends nothing.
func TestUsageErrors(t *testing.T) {
	const secret = "code-SECRET123"
	requestFile := filepath.Join(t.TempDir(), "missing.json")
	tests := []struct {
		name    string
		args    []string
		message string
	}{
		{"missing --provider", []string{"--request", "code=x,redirectUri=y"}, "the following arguments are required: --provider\n"},
		{"missing --request", []string{"--provider", "figma"}, "the following arguments are required: --request\n"},
		{"unknown flags and an argument, all named", []string{"--provider", "figma", "--colour", "on", "--request", "code=x", "-debug", "extra", "--bogus=1"}, "Unknown options: --colour, -debug, extra, --bogus"},
		{"unknown flag's value not quoted", []string{"--provider", "figma", "--requets", "code=" + secret + ",redirectUri=y"}, "Unknown options: --requets\n"},
		{"long argument not quoted", []string{"--provider", "figma", "code=" + secret}, "Unknown options: (an argument of 19 characters, not shown)"},
		{"both required arguments missing", []string{}, "the following arguments are required: --provider, --request"},
		{"flag without its value", []string{"--request", "code=x,redirectUri=y", "--provider"}, "argument --provider: expected one argument"},
		{"request that is a JSON list", []string{"--provider", "figma", "--request", "[]"}, "Error parsing parameter '--request': Invalid JSON: expected an object"},
		{"value with a bare comma", []string{"--provider", "figma", "--request", "code=" + secret + ",more,redirectUri=y"}, "a value that contains a comma must be quoted ('a,b') or escaped (a\\,b), or the whole parameter given as JSON"},
		{"trailing comma", []string{"--provider", "figma", "--request", "code=" + secret + ","}, "expected name=value after the last comma"},
		{"no '='", []string{"--provider", "figma", "--request", secret}, "expected '=' after the member name"},
		{"unknown shorthand member", []string{"--provider", "figma", "--request", "code=" + secret + ",redirect=y"}, `Unknown parameter in request: "redirect", must be one of: code, redirectUri, clientId`},
		{"member twice", []string{"--provider", "figma", "--request", "code=" + secret + ",code=y"}, "member code is given twice"},
		{"list value", []string{"--provider", "figma", "--request", "code=[a,b]"}, "lists and structures are not values here"},
		{"unclosed quote", []string{"--provider", "figma", "--request", "code='" + secret}, "the quoted value has no closing '"},
		{"unknown JSON member", []string{"--provider", "figma", "--request", `{"code":"` + secret + `","redirect_uri":"y"}`}, `Unknown parameter in request: "redirect_uri"`},
		{"JSON member not a string", []string{"--provider", "figma", "--request", `{"code":12345}`}, "Invalid type for parameter request.code: must be a string"},
		{"invalid JSON", []string{"--provider", "figma", "--request", `{"code":"` + secret + `"`}, "Error parsing parameter '--request': Invalid JSON:"},
		{"missing file", []string{"--provider", "figma", "--request", "file://" + requestFile}, "Error parsing parameter '--request': Unable to load paramfile file://"},
		{"missing required member", []string{"--provider", "figma", "--request", "code=" + secret}, "Parameter validation failed"},
		{"bad --output", []string{"--provider", "figma", "--request", "code=x,redirectUri=y", "--output", "xml"}, `argument --output: Invalid choice "xml", valid choices are: json, text, table, yaml, yaml-stream`},
		{"bad --cli-read-timeout", []string{"--provider", "figma", "--request", "code=x,redirectUri=y", "--cli-read-timeout", "-1"}, `argument --cli-read-timeout: invalid value "-1": must be a number of seconds, 0 or more`},
		{"bad --cli-connect-timeout", []string{"--provider", "figma", "--request", "code=x,redirectUri=y", "--cli-connect-timeout=soon"}, `argument --cli-connect-timeout: invalid value "soon"`},
		{"bad --query", []string{"--provider", "figma", "--request", "code=x,redirectUri=y", "--query", "a["}, "Bad value for --query a[: Invalid jmespath expression:"},
		{"bad --generate-cli-skeleton", []string{"--generate-cli-skeleton", "bogus"}, `argument --generate-cli-skeleton: Invalid choice "bogus", valid choices are: input, output, yaml-input`},
		{"both --cli-input- flags", []string{"--cli-input-json", "{}", "--cli-input-yaml", "provider: figma"}, "Only one --cli-input- parameter may be specified."},
		{"--cli-input-json not an object", []string{"--cli-input-json", "[]"}, "Error parsing parameter '--cli-input-json': Invalid type: expecting an object, received a list"},
		{"--cli-input-json not JSON", []string{"--cli-input-json", `{"request":{"code":"` + secret + `"`}, "Error parsing parameter '--cli-input-json': Invalid JSON: syntax error"},
		{"--cli-input-yaml not YAML", []string{"--cli-input-yaml", "request: [" + secret}, "Error parsing parameter '--cli-input-yaml': Invalid YAML: syntax error"},
		{"--cli-input-json missing and unknown", []string{"--cli-input-json", `{"bogus":1}`}, `Parameter validation failed: Missing required parameter in input: "provider"; Missing required parameter in input: "request"; Unknown parameter in input: "bogus", must be one of: provider, request`},
		{"--cli-input-json member not a string", []string{"--cli-input-json", `{"provider":"figma","request":{"code":12345}}`}, "Invalid type for parameter request.code: must be a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t)
			useServer(t, srv)

			exit, stdout, stderr := cli(t, append([]string{"exchange-code-for-token", "--endpoint-url", srv.URL}, tt.args...)...)

			assert.Equal(t, exitUsage, exit)
			assert.Empty(t, stdout)
			requireOneLine(t, stderr)
			assert.True(t, strings.HasPrefix(stderr, "amplifyuibuilder exchange-code-for-token: error: "), "stderr: %q", stderr)
			assert.Contains(t, stderr, tt.message)
			assert.NotContains(t, stderr, secret)
			assert.Empty(t, srv.Requests())
		})
	}
}

func TestServiceErrorExits254(t *testing.T) {
	srv := startServer(t)
	useServer(t, srv)
	code := srv.IssueCode(redirectURI)
	args := exchangeArgs(srv, code)
	exit, _, _ := cli(t, args...)
	require.Equal(t, exitOK, exit)

	exit, stdout, stderr := cli(t, args...)

	assert.Equal(t, exitServiceError, exit)
	assert.Empty(t, stdout)
	assert.Equal(t, "An error occurred (InvalidParameterException) when calling the ExchangeCodeForToken operation: "+
		"The authorization code is not valid: it is unknown or has already been used.\n", stderr)
}

func TestThrottledExits254(t *testing.T) {
	srv := startServer(t)
	useServer(t, srv)
	srv.FailNext(1, http.StatusTooManyRequests, "ThrottlingException")

	exit, _, stderr := cli(t, "refresh-token", "--endpoint-url", srv.URL, "--provider", "figma", "--refresh-token-body", "token=t")

	assert.Equal(t, exitServiceError, exit)
	assert.Equal(t, "An error occurred (ThrottlingException) when calling the RefreshToken operation (reached max retries: 0): Too Many Requests\n", stderr)
}

func TestForbiddenExits254(t *testing.T) {
	srv := startServer(t)
	useServer(t, srv)
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret")

	exit, _, stderr := cli(t, "refresh-token", "--endpoint-url", srv.URL, "--provider", "figma", "--refresh-token-body", "token=t")

	assert.Equal(t, exitServiceError, exit)
	assert.True(t, strings.HasPrefix(stderr, "An error occurred (InvalidSignatureException) when calling the RefreshToken operation: "), stderr)
	assert.NotContains(t, stderr, "wrong-secret")
}

func TestRegionFlag(t *testing.T) {
	srv := startServer(t)
	useServer(t, srv)
	t.Setenv("AWS_REGION", "eu-west-1")

	exit, _, stderr := cli(t, "refresh-token", "--endpoint-url", srv.URL, "--region", srv.Region(),
		"--provider", "figma", "--refresh-token-body", "token=t")

	// The server answered the request signed for its region: a 400, not a 403.
	assert.Equal(t, exitServiceError, exit)
	assert.Contains(t, stderr, "(InvalidParameterException)")
}

func TestProfile(t *testing.T) {
	srv := startServer(t)
	configFile, credentialsFile := isolateAWSConfig(t)
	creds := srv.Credentials()
	require.NoError(t, os.WriteFile(configFile, []byte("[profile local]\nregion = "+srv.Region()+"\n"), 0o600))
	require.NoError(t, os.WriteFile(credentialsFile, []byte(fmt.Sprintf(
		"[local]\naws_access_key_id = %s\naws_secret_access_key = %s\n", creds.AccessKeyID, creds.SecretAccessKey)), 0o600))
	code := srv.IssueCode(redirectURI)

	exit, stdout, stderr := cli(t, exchangeArgs(srv, code, "--profile", "local")...)

	require.Equal(t, exitOK, exit, "stderr: %s", stderr)
	assert.True(t, srv.AccessTokenValid(decodeOutput(t, stdout).AccessToken))
}

func TestServiceEndpointFromEnvironment(t *testing.T) {
	srv := startServer(t)
	useServer(t, srv)
	t.Setenv("AWS_ENDPOINT_URL_AMPLIFYUIBUILDER", srv.URL)
	code := srv.IssueCode(redirectURI)

	exit, _, stderr := cli(t, "exchange-code-for-token", "--provider", "figma", "--request", "code="+code+",redirectUri="+redirectURI)

	require.Equal(t, exitOK, exit, "stderr: %s", stderr)
}

func TestEndpointURLWinsOverEnvironment(t *testing.T) {
	srv := startServer(t)
	useServer(t, srv)
	t.Setenv("AWS_ENDPOINT_URL_AMPLIFYUIBUILDER", "http://127.0.0.1:1")
	code := srv.IssueCode(redirectURI)

	exit, _, stderr := cli(t, exchangeArgs(srv, code)...)

	require.Equal(t, exitOK, exit, "stderr: %s", stderr)
}

func TestDebugLogsRedacted(t *testing.T) {
	srv := startServer(t)
	useServer(t, srv)
	code := srv.IssueCode(redirectURI)

	exit, stdout, stderr := cli(t, "exchange-code-for-token", "--endpoint-url", srv.URL, "--debug",
		"--provider", "figma", "--request", "code="+code+",redirectUri="+redirectURI+",clientId=client-secret-1")

	require.Equal(t, exitOK, exit)
	out := decodeOutput(t, stdout)
	assert.Contains(t, stderr, "POST /tokens/figma HTTP/1.1")
	assert.Contains(t, stderr, "HTTP/1.1 200 OK")
	assert.Contains(t, stderr, `"code":"[REDACTED]"`)
	for _, secret := range []string{code, "client-secret-1", out.AccessToken, out.RefreshToken,
		srv.Credentials().SecretAccessKey, srv.Credentials().AccessKeyID} {
		assert.NotContains(t, stderr, secret)
	}
}

func TestRefreshToken(t *testing.T) {
	srv := startServer(t)
	useServer(t, srv)
	code := srv.IssueCode(redirectURI)
	exit, stdout, _ := cli(t, exchangeArgs(srv, code)...)
	require.Equal(t, exitOK, exit)
	refreshToken := decodeOutput(t, stdout).RefreshToken

	bodyFile := filepath.Join(t.TempDir(), "refresh.json")
	require.NoError(t, os.WriteFile(bodyFile, []byte(fmt.Sprintf("{\n  \"token\": %q,\n  \"clientId\": \"c\"\n}\n", refreshToken)), 0o600))
	for _, tt := range []struct{ name, body string }{
		{"shorthand", "token=" + refreshToken + ",clientId=c"},
		{"JSON", fmt.Sprintf(`{"token":%q,"clientId":"c"}`, refreshToken)},
		{"file:// with JSON", "file://" + bodyFile},
	} {
		t.Run(tt.name, func(t *testing.T) {
			exit, stdout, stderr := cli(t, "refresh-token", "--endpoint-url", srv.URL,
				"--provider", "figma", "--refresh-token-body", tt.body)

			require.Equal(t, exitOK, exit, "stderr: %s", stderr)
			out := decodeOutput(t, stdout)
			assert.True(t, srv.AccessTokenValid(out.AccessToken))
			assert.Equal(t, 3600, out.ExpiresIn)
			assert.Empty(t, out.RefreshToken)
			assert.NotContains(t, stdout, "refreshToken")
			assert.Equal(t, map[string]string{"token": refreshToken, "clientId": "c"}, lastBody(t, srv))
		})
	}
	t.Run("text", func(t *testing.T) {
		exit, stdout, _ := cli(t, "refresh-token", "--endpoint-url", srv.URL, "--output", "text",
			"--provider", "figma", "--refresh-token-body", "token="+refreshToken)

		require.Equal(t, exitOK, exit)
		fields := strings.Split(strings.TrimSuffix(stdout, "\n"), "\t")
		require.Len(t, fields, 2)
		assert.True(t, srv.AccessTokenValid(fields[0]))
		assert.Equal(t, "3600", fields[1])
	})
	t.Run("debug logs redacted", func(t *testing.T) {
		exit, stdout, stderr := cli(t, "refresh-token", "--endpoint-url", srv.URL, "--debug",
			"--provider", "figma", "--refresh-token-body", "token="+refreshToken+",clientId=client-secret-1")

		require.Equal(t, exitOK, exit)
		assert.Contains(t, stderr, "POST /tokens/figma/refresh HTTP/1.1")
		assert.Contains(t, stderr, `"token":"[REDACTED]"`)
		for _, secret := range []string{refreshToken, "client-secret-1", decodeOutput(t, stdout).AccessToken, srv.Credentials().SecretAccessKey} {
			assert.NotContains(t, stderr, secret)
		}
	})
	t.Run("unknown member", func(t *testing.T) {
		exit, _, stderr := cli(t, "refresh-token", "--endpoint-url", srv.URL,
			"--provider", "figma", "--refresh-token-body", "refreshToken="+refreshToken)

		assert.Equal(t, exitUsage, exit)
		assert.Contains(t, stderr, `Unknown parameter in refreshTokenBody: "refreshToken", must be one of: token, clientId`)
		assert.NotContains(t, stderr, refreshToken)
	})
	t.Run("token not issued", func(t *testing.T) {
		exit, _, stderr := cli(t, "refresh-token", "--endpoint-url", srv.URL,
			"--provider", "figma", "--refresh-token-body", "token=made-up")

		assert.Equal(t, exitServiceError, exit)
		assert.Contains(t, stderr, "(InvalidParameterException) when calling the RefreshToken operation")
	})
}
