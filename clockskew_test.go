package amplifyuibuilder

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRetrySignedWithObservedClockSkew: a request rejected for clock skew is
// retried within the same call, signed with the server's time as the
// response's Date header showed it.
func TestRetrySignedWithObservedClockSkew(t *testing.T) {
	serverAhead := time.Hour
	client, rec := setup(t, func(w http.ResponseWriter, attempt int, req captured) {
		w.Header().Set("Date", time.Now().Add(serverAhead).UTC().Format(http.TimeFormat))
		if attempt == 1 {
			w.Header().Set("X-Amzn-Errortype", "InvalidSignatureException")
			jsonResponse(w, http.StatusForbidden, `{"message":"Signature expired"}`)
			return
		}
		okTokens(w, attempt, req)
	})

	_, err := exchange(t, client, exchangeInput())

	require.NoError(t, err)
	requests := rec.all()
	require.Len(t, requests, 2)
	first, err := time.Parse("20060102T150405Z", requests[0].Header.Get("X-Amz-Date"))
	require.NoError(t, err)
	second, err := time.Parse("20060102T150405Z", requests[1].Header.Get("X-Amz-Date"))
	require.NoError(t, err)
	assert.InDelta(t, serverAhead.Seconds(), second.Sub(first).Seconds(), 60)
}
