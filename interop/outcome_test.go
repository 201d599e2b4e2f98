package interop_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
)

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
