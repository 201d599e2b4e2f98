package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDemo(t *testing.T) {
	// No AWS configuration at all, as on a fresh machine.
	isolateAWSConfig(t)

	exit, stdout, stderr := cli(t, "demo")

	require.Equal(t, exitOK, exit, "stderr: %s", stderr)
	assert.Empty(t, stderr)
	for _, want := range []string{
		"Started a local Amplify UI Builder endpoint at http://127.0.0.1:",
		"ExchangeCodeForToken: POST /tokens/figma, signed with SigV4",
		`"accessToken": "[REDACTED]"`,
		`"refreshToken": "[REDACTED]"`,
		`"expiresIn": 3600`,
		"RefreshToken: POST /tokens/figma/refresh",
		"Rejected, as it should be: *types.InvalidParameterException (HTTP 400, request id ",
		"it is unknown or has already been used.",
	} {
		assert.Contains(t, stdout, want)
	}
	assert.Equal(t, 3, strings.Count(stdout, "request id"))
	// No code or token the server issued is printed.
	assert.NotRegexp(t, regexp.MustCompile(`(code|access|refresh)-[A-Z2-7]{26}`), stdout)
}

func TestDemoTakesNoArguments(t *testing.T) {
	exit, _, stderr := cli(t, "demo", "--region", "us-east-1")

	assert.Equal(t, exitUsage, exit)
	assert.Equal(t, "amplifyuibuilder demo: error: Unknown options: --region\n", stderr)
}
