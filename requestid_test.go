package amplifyuibuilder

import (
	"errors"
	"net/http"
	"testing"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
