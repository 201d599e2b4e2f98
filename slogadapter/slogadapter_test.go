package slogadapter_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/slogadapter"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

type record struct {
	Level     string `json:"level"`
	Msg       string `json:"msg"`
	Service   string `json:"aws.service"`
	Operation string `json:"aws.operation"`
	RequestID string `json:"aws.request_id"`
}

func records(t *testing.T, buf *bytes.Buffer) []record {
	t.Helper()
	var out []record
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var r record
		require.NoError(t, json.Unmarshal([]byte(line), &r), line)
		out = append(out, r)
	}
	return out
}

// TestCallLinesCarryOperationAndRequestID runs a call that is retried once,
// with request, response and retry logging, and checks every record names
// the operation, and that the records written after the first response name
// its request id.
func TestCallLinesCarryOperationAndRequestID(t *testing.T) {
	attempts := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		attempts++
		w.Header().Set("X-Amzn-Requestid", "rid-"+string(rune('0'+attempts)))
		if attempts == 1 {
			w.WriteHeader(500)
			return
		}
		_, _ = io.WriteString(w, `{"accessToken":"at","expiresIn":60,"refreshToken":"rt"}`)
	}))
	defer srv.Close()

	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	client := amplifyuibuilder.New(amplifyuibuilder.Options{
		Region:        "us-east-1",
		BaseEndpoint:  aws.String(srv.URL),
		Credentials:   credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		Logger:        slogadapter.New(logger),
		ClientLogMode: aws.LogRequest | aws.LogResponse | aws.LogRetries,
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
			o.RateLimiter = ratelimit.None
		}),
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := client.ExchangeCodeForToken(ctx, &amplifyuibuilder.ExchangeCodeForTokenInput{
		Provider: types.TokenProvidersFigma,
		Request:  &types.ExchangeCodeForTokenRequestBody{Code: aws.String("c"), RedirectUri: aws.String("https://x/cb")},
	})
	require.NoError(t, err)

	recs := records(t, &buf)
	var kinds []string
	for _, r := range recs {
		assert.Equal(t, "DEBUG", r.Level)
		assert.Equal(t, "AmplifyUIBuilder", r.Service, r.Msg)
		assert.Equal(t, "ExchangeCodeForToken", r.Operation, r.Msg)
		kind, _, _ := strings.Cut(r.Msg, "\n")
		kinds = append(kinds, kind+" "+r.RequestID)
	}
	assert.Equal(t, []string{
		"Request ",
		"Response rid-1",
		"retrying request AmplifyUIBuilder/ExchangeCodeForToken, attempt 2 rid-1",
		"Request rid-1",
		"Response rid-2",
	}, kinds)
}

func TestLevels(t *testing.T) {
	var buf bytes.Buffer
	l := slogadapter.New(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn})))
	l.Logf("DEBUG", "hidden %d", 1)
	l.Logf("WARN", "shown %d", 2)
	recs := records(t, &buf)
	require.Len(t, recs, 1)
	assert.Equal(t, "WARN", recs[0].Level)
	assert.Equal(t, "shown 2", recs[0].Msg)
}
