package amplifyuibuilder

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/slogadapter"
)

// TestRequestIDHeaders checks each header the request id may come in, for a
// success (result metadata) and for an error (the response error).
func TestRequestIDHeaders(t *testing.T) {
	for _, header := range []string{"X-Amzn-Requestid", "X-Amz-Request-Id", "X-Amz-Requestid"} {
		t.Run(header, func(t *testing.T) {
			status := 200
			c, _ := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
				w.Header().Set(header, "id-from-"+header)
				w.WriteHeader(status)
				_, _ = w.Write([]byte(`{}`))
			})
			out, err := exchange(t, c, exchangeInput())
			require.NoError(t, err)
			id, ok := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
			assert.True(t, ok)
			assert.Equal(t, "id-from-"+header, id)

			status = 400
			_, err = exchange(t, c, exchangeInput())
			var respErr *awshttp.ResponseError
			require.True(t, errors.As(err, &respErr), "%v", err)
			assert.Equal(t, "id-from-"+header, respErr.ServiceRequestID())
		})
	}
}

// A request id that echoes the call's secrets is reported scrubbed, for a
// success and for an error alike: in the metadata, the error, and the raw
// response both carry.
func TestRequestIDIsScrubbedAtItsSource(t *testing.T) {
	const code, clientID = "secret-code-4711", "secret-client-0815"
	for _, status := range []int{200, 400} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			c, _ := setup(t, func(w http.ResponseWriter, _ int, _ captured) {
				w.Header().Set("X-Amzn-Requestid", "id-"+code+"-"+clientID)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				_, _ = w.Write([]byte(`{}`))
			})
			in := exchangeInput()
			in.Request.Code, in.Request.ClientId = aws.String(code), aws.String(clientID)
			out, err := exchange(t, c, in)
			var metadata middleware.Metadata
			if status == 200 {
				require.NoError(t, err)
				metadata = out.ResultMetadata
			} else {
				var respErr *awshttp.ResponseError
				require.ErrorAs(t, err, &respErr)
				assert.Equal(t, "id-[REDACTED]-[REDACTED]", respErr.ServiceRequestID())
				assert.Equal(t, "id-[REDACTED]-[REDACTED]", respErr.Response.Header.Get("X-Amzn-Requestid"))
				assert.NotContains(t, err.Error(), code)
				return
			}
			id, _ := awsmiddleware.GetRequestIDMetadata(metadata)
			assert.Equal(t, "id-[REDACTED]-[REDACTED]", id)
			raw := awsmiddleware.GetRawResponse(metadata).(*smithyhttp.Response)
			assert.Equal(t, "id-[REDACTED]-[REDACTED]", raw.Header.Get("X-Amzn-Requestid"))
		})
	}
}

// TestRequestIDOfASuccessScrubbedInSpansAndLogs: a 2xx whose request id
// echoes the call's secrets is reported scrubbed on the operation's and the
// attempt's spans, in a context logger's request-id attribute (which no line
// scrubber sees) and in a plain logger's line prefix.
func TestRequestIDOfASuccessScrubbedInSpansAndLogs(t *testing.T) {
	const code, clientID = "secret-code-4711", "secret-client-0815"
	const want = "id-[REDACTED]-[REDACTED]"
	respond := func(w http.ResponseWriter, _ int, _ captured) {
		w.Header().Set("X-Amzn-Requestid", "id-"+code+"-"+clientID)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"accessToken":"at-1"}`))
	}
	in := exchangeInput()
	in.Request.Code, in.Request.ClientId = aws.String(code), aws.String(clientID)

	t.Run("spans", func(t *testing.T) {
		rec, telemetryOpts := withTelemetry(t)
		c, _ := setup(t, respond, telemetryOpts)
		_, err := exchange(t, c, in)
		require.NoError(t, err)
		assert.Equal(t, want, rec.span(t, "AmplifyUIBuilder.ExchangeCodeForToken").props["aws.request_id"])
		assert.Equal(t, want, rec.span(t, "Attempt").props["aws.request_id"])
	})
	t.Run("context logger", func(t *testing.T) {
		var out bytes.Buffer
		c, _ := setup(t, respond, func(o *Options) {
			o.Logger = slogadapter.New(slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug})))
			o.ClientLogMode = aws.LogResponse
		})
		_, err := exchange(t, c, in)
		require.NoError(t, err)
		assert.Contains(t, out.String(), `"aws.request_id":"`+want+`"`)
		assert.NotContains(t, out.String(), code)
	})
	t.Run("plain logger", func(t *testing.T) {
		logger := &captureLogger{}
		c, _ := setup(t, respond, func(o *Options) {
			o.Logger = logger
			o.ClientLogMode = aws.LogResponse
		})
		_, err := exchange(t, c, in)
		require.NoError(t, err)
		assert.True(t, anyLineContains(logger.all(), "(request id "+want+"): Response"), "%q", logger.all())
	})
}
