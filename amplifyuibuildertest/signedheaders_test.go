package amplifyuibuildertest_test

import (
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// totalAllocated returns the bytes the process has allocated so far.
func totalAllocated() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

// TestRepeatedSignedHeaderIsNotAmplified: one request under 64 KiB, which
// anyone who knows the access key id (the default one is public) can send
// without the secret, names one 16 KiB header thousands of times in
// SignedHeaders, in every spelling of its case. The verifier must not copy
// that header once per mention (that allocated and hashed ~2 GB for a 30 KiB
// header): it answers 403 and allocates a bounded amount.
func TestRepeatedSignedHeaderIsNotAmplified(t *testing.T) {
	srv := startServer(t)
	now := time.Now().UTC()
	scope := fmt.Sprintf("%s/%s/us-east-1/amplifyuibuilder/aws4_request", srv.Credentials().AccessKeyID, now.Format("20060102"))
	// The name in every one of its 2^8 spellings, then repeated.
	const name = "x-abcdefgh"
	var names []string
	for variant := range 1 << 8 {
		spelled := []byte(name)
		for i := range 8 {
			if variant&(1<<i) != 0 {
				spelled[2+i] -= 'a' - 'A'
			}
		}
		names = append(names, string(spelled))
	}
	signed := "host;x-amz-date;" + strings.Join(names, ";") + strings.Repeat(";"+name, 2000)
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/tokens/figma", strings.NewReader(`{}`))
	require.NoError(t, err)
	req.Header.Set(name, strings.Repeat("v", 16<<10))
	req.Header.Set("X-Amz-Date", now.Format("20060102T150405Z"))
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+scope+", SignedHeaders="+signed+", Signature="+strings.Repeat("0", 64))

	before := totalAllocated()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	require.NoError(t, resp.Body.Close())
	allocated := totalAllocated() - before

	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Equal(t, "InvalidSignatureException", resp.Header.Get("X-Amzn-Errortype"))
	assert.Less(t, allocated, uint64(16<<20), "bytes allocated for one 64 KiB request")
}
