package amplifyuibuildertest_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
	"github.com/uibuilder-go/amplifyuibuilder/internal/testkit"
)

// hangGuard bounds how long a test waits for what happens at once when the
// code works: it turns a hang into a failure, and measures nothing.
const hangGuard = 20 * time.Second

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestFloodKeepsHeapBounded sends 6,000 unauthenticated requests of about
// 76 KiB each (60 KiB of headers, 16 KiB of body), as anyone who reaches the
// port could, and checks that the server's heap grows by a small bounded
// amount, far below the 445 MiB sent: it keeps the most recent 1,000
// requests, each cut to 4 KiB of headers and 4 KiB of body.
func TestFloodKeepsHeapBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 445 MiB over loopback")
	}
	const requests, workers = 6000, 8
	srv := startServer(t)
	pad := strings.Repeat("p", 10<<10)
	body := bytes.Repeat([]byte("b"), 16<<10)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}, Timeout: hangGuard}
	t.Cleanup(client.CloseIdleConnections)
	send := func() (int, error) {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/tokens/figma", bytes.NewReader(body))
		if err != nil {
			return 0, err
		}
		for i := range 6 {
			req.Header.Set(fmt.Sprintf("X-Pad-%d", i), pad)
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	// Warm up: connections, goroutines and the server's first allocations.
	for range workers {
		status, err := send()
		require.NoError(t, err)
		require.Equal(t, http.StatusForbidden, status)
	}
	before := heapInUse()

	var wg sync.WaitGroup
	failures := make(chan error, requests)
	jobs := make(chan struct{}, requests)
	for range requests {
		jobs <- struct{}{}
	}
	close(jobs)
	for range workers {
		wg.Go(func() {
			for range jobs {
				status, err := send()
				if err == nil && status != http.StatusForbidden {
					err = fmt.Errorf("status %d", status)
				}
				if err != nil {
					failures <- err
				}
			}
		})
	}
	wg.Wait()
	close(failures)
	for err := range failures {
		require.NoError(t, err)
	}
	after := heapInUse()

	sent := uint64(requests) * uint64(6*(len(pad)+len("X-Pad-0: \r\n"))+len(body))
	growth := int64(after) - int64(before)
	t.Logf("sent %d MiB; heap %d MiB before, %d MiB after, growth %d MiB", sent>>20, before>>20, after>>20, growth>>20)
	// What the record may keep, 1,000 x (4 KiB + 4 KiB), and half as much
	// again for maps, slices and what the runtime keeps.
	bound := int64(amplifyuibuildertest.DefaultRecordedRequests * 2 * amplifyuibuildertest.DefaultRecordedBytes * 3 / 2)
	assert.Less(t, growth, bound, "heap growth must stay bounded")
	assert.Less(t, growth, int64(sent/32), "far below what was sent")

	kept := srv.Requests()
	assert.Len(t, kept, amplifyuibuildertest.DefaultRecordedRequests)
	last := kept[len(kept)-1]
	assert.True(t, last.Truncated)
	assert.Len(t, last.Body, amplifyuibuildertest.DefaultRecordedBytes)
	runtime.KeepAlive(srv)
}

// TestRecordCutsPathProviderAndRegion: what the record keeps of a request
// besides its headers and body, its method, its path, its decoded provider
// label and the region of its Authorization header, is cut to the same
// budget: 1,500 unauthenticated requests with a 12 KiB method, a 20 KiB path
// and a 20 KiB region (which the server kept whole, 72 KiB an entry) leave
// the heap grown by a bounded amount, and the entries say they were cut.
func TestRecordCutsPathProviderAndRegion(t *testing.T) {
	const requests, budget = 1500, 1 << 10
	srv := startServer(t, amplifyuibuildertest.WithRequestRecord(amplifyuibuildertest.DefaultRecordedRequests, budget))
	label := strings.Repeat("p", 20<<10)
	region := strings.Repeat("r", 20<<10)
	client := &http.Client{Timeout: hangGuard}
	t.Cleanup(client.CloseIdleConnections)
	send := func() {
		req, err := http.NewRequest("M"+strings.ToUpper(label[:12<<10]), srv.URL+"/tokens/"+label, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20250601/"+region+"/amplifyuibuilder/aws4_request, SignedHeaders=host, Signature=0")
		resp, err := client.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
	}
	send()
	before := heapInUse()
	for range requests {
		send()
	}
	after := heapInUse()

	growth := int64(after) - int64(before)
	t.Logf("heap %d MiB before, %d MiB after, growth %d MiB", before>>20, after>>20, growth>>20)
	// Kept whole, they came to 1,000 x 72 KiB.
	assert.Less(t, growth, int64(16<<20), "heap growth must stay bounded")
	last := srv.Requests()[len(srv.Requests())-1]
	assert.True(t, last.Truncated)
	assert.LessOrEqual(t, len(last.Method), budget)
	assert.LessOrEqual(t, len(last.Path), budget)
	assert.LessOrEqual(t, len(last.Provider), budget)
	assert.LessOrEqual(t, len(last.Region), budget)
	assert.True(t, strings.HasPrefix(last.Path, "/tokens/ppp"), "what is kept is the start")
	runtime.KeepAlive(srv)
}

// TestSlowHeaderConnectionIsDropped: a client that starts a request and
// never finishes its headers is disconnected after ReadHeaderTimeout.
func TestSlowHeaderConnectionIsDropped(t *testing.T) {
	srv := startServer(t, amplifyuibuildertest.WithTimeouts(amplifyuibuildertest.Timeouts{ReadHeader: 50 * time.Millisecond}))
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "POST /tokens/figma HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a")
	require.NoError(t, err)

	require.NoError(t, conn.SetReadDeadline(time.Now().Add(hangGuard)))
	answer, err := io.ReadAll(conn)

	require.NoError(t, err, "the server closes the connection (EOF) long before the hang guard")
	assert.Empty(t, answer, "with no answer")
	assert.Empty(t, srv.Requests(), "and no record: the request never arrived")
}

// TestSlowBodyConnectionIsDropped: a client that sends its headers and
// then trickles, or stops sending, the body it announced cannot hold the
// connection past ReadTimeout: the server stops reading and the connection
// ends, with no exchange of whatever was sent.
func TestSlowBodyConnectionIsDropped(t *testing.T) {
	srv := startServer(t, amplifyuibuildertest.WithTimeouts(amplifyuibuildertest.Timeouts{Read: 100 * time.Millisecond}))
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "POST /tokens/figma HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
	require.NoError(t, err)

	require.NoError(t, conn.SetReadDeadline(time.Now().Add(hangGuard)))
	answer, err := io.ReadAll(conn)

	require.NoError(t, err, "the server ends the connection long before the hang guard")
	if len(answer) > 0 {
		assert.Contains(t, string(answer), "400 Bad Request", "an answer, if any, refuses the body it could not read")
	}
	for _, r := range srv.Requests() {
		assert.NotEqual(t, http.StatusOK, r.Status)
	}
}

// TestIdleConnectionIsClosed: a keep-alive connection that sends no next
// request is closed after IdleTimeout.
func TestIdleConnectionIsClosed(t *testing.T) {
	srv := startServer(t, amplifyuibuildertest.WithTimeouts(amplifyuibuildertest.Timeouts{Idle: 50 * time.Millisecond}))
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "POST /tokens/figma HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(hangGuard)))
	reader := bufio.NewReader(conn)
	resp, err := http.ReadResponse(reader, nil)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Connection"), "the connection is kept alive")

	rest, err := io.ReadAll(reader)

	require.NoError(t, err, "the server closes the idle connection (EOF) long before the hang guard")
	assert.Empty(t, rest)
}

// TestHeadersBeyondMaxHeaderBytes: headers beyond 64 KiB, or beyond what
// WithMaxHeaderBytes says, are refused with 431 before anything is kept.
func TestHeadersBeyondMaxHeaderBytes(t *testing.T) {
	sendWithHeader := func(srv *amplifyuibuildertest.Server, size int) int {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/tokens/figma", nil)
		require.NoError(t, err)
		req.Header.Set("X-Pad", strings.Repeat("p", size))
		resp, err := noRedirects.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	srv := startServer(t)
	assert.Equal(t, http.StatusForbidden, sendWithHeader(srv, 60<<10))
	assert.Equal(t, http.StatusRequestHeaderFieldsTooLarge, sendWithHeader(srv, 80<<10))
	assert.Len(t, srv.Requests(), 1)

	small := startServer(t, amplifyuibuildertest.WithMaxHeaderBytes(1<<10))
	assert.Equal(t, http.StatusRequestHeaderFieldsTooLarge, sendWithHeader(small, 8<<10))
	assert.Empty(t, small.Requests())
}

// TestRequestRecordKeepsTheMostRecent: the record keeps the last N requests,
// each cut to its byte budget, and says when it cut.
func TestRequestRecordKeepsTheMostRecent(t *testing.T) {
	srv := startServer(t, amplifyuibuildertest.WithRequestRecord(3, 200))
	for i := range 5 {
		body := fmt.Sprintf(`{"n":%d,"pad":%q}`, i, strings.Repeat("x", 300*(i%2)))
		resp, err := http.Post(srv.URL+"/tokens/figma", "application/json", strings.NewReader(body))
		require.NoError(t, err)
		resp.Body.Close()
	}

	kept := srv.Requests()

	require.Len(t, kept, 3)
	for i, r := range kept {
		n := i + 2
		assert.True(t, bytes.HasPrefix(r.Body, fmt.Appendf(nil, `{"n":%d,`, n)), string(r.Body))
		assert.LessOrEqual(t, len(r.Body), 200)
		assert.Equal(t, n%2 == 1, r.Truncated, "request %d", n)
		assert.Equal(t, http.StatusForbidden, r.Status)
		size := 0
		for name, values := range r.Header {
			for _, v := range values {
				size += len(name) + len(v)
			}
		}
		assert.LessOrEqual(t, size, 200)
	}
}

// TestAccessTokenForgottenAfterItsLifetime: an access token is valid for its
// lifetime by the server's clock, then no more.
func TestAccessTokenForgottenAfterItsLifetime(t *testing.T) {
	clock := testkit.NewClock(time.Now())
	srv := startServer(t, amplifyuibuildertest.WithClock(clock.Now), amplifyuibuildertest.WithAccessTokenLifetime(time.Minute))
	out, err := exchange(t, srv.Client(), exchangeInput(srv.IssueCode(redirectURI), redirectURI))
	require.NoError(t, err)
	token := *out.AccessToken

	clock.Advance(59 * time.Second)
	assert.True(t, srv.AccessTokenValid(token))
	clock.Advance(time.Second)
	assert.False(t, srv.AccessTokenValid(token))
}

// TestAuthorizeFloodKeepsHeapBounded: 6,000 unauthenticated GET /oauth with
// auto-approve, each with the longest parameters taken, each minting a code
// that nobody exchanges: the server keeps at most 4,096 codes, each small.
func TestAuthorizeFloodKeepsHeapBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 6,000 requests")
	}
	const requests, workers = 6000, 8
	srv := startServer(t, amplifyuibuildertest.WithAutoApprove(), amplifyuibuildertest.WithRequestRecord(1, 1))
	query := authorizeQuery(map[string]string{
		"state":        strings.Repeat("s", 1<<10),
		"client_id":    strings.Repeat("c", 1<<10),
		"scope":        strings.Repeat("f", 1<<10),
		"redirect_uri": loopbackCallback + "/" + strings.Repeat("r", 2<<10-len(loopbackCallback)-1),
	})
	// Padding in the request line that a careless copy would keep too.
	target := srv.AuthorizeURL() + "?" + query + "&pad=" + strings.Repeat("p", 48<<10)
	client := &http.Client{
		Transport:     &http.Transport{MaxIdleConnsPerHost: workers},
		CheckRedirect: noRedirects.CheckRedirect,
		Timeout:       hangGuard,
	}
	t.Cleanup(client.CloseIdleConnections)
	send := func() error {
		resp, err := client.Get(target)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusFound {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	}
	require.NoError(t, send())
	before := heapInUse()

	jobs := make(chan struct{}, requests)
	for range requests {
		jobs <- struct{}{}
	}
	close(jobs)
	failures := make(chan error, requests)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range jobs {
				if err := send(); err != nil {
					failures <- err
				}
			}
		})
	}
	wg.Wait()
	close(failures)
	for err := range failures {
		require.NoError(t, err)
	}
	after := heapInUse()

	sent := uint64(requests) * uint64(len(target))
	growth := int64(after) - int64(before)
	t.Logf("sent %d MiB; heap %d MiB before, %d MiB after, growth %d MiB", sent>>20, before>>20, after>>20, growth>>20)
	// 4,096 codes, each with its 2 KiB redirect URI and 1 KiB client id,
	// and room for the maps: 4 KiB each.
	assert.Less(t, growth, int64(4096*4<<10), "heap growth must stay bounded")
	assert.Less(t, growth, int64(sent/8), "far below what was sent")
	runtime.KeepAlive(srv)
}
