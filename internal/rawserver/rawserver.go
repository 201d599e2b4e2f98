// Package rawserver is a hostile HTTP peer for tests: a loopback TCP listener
// that writes back whatever bytes a test makes of each request, so that a
// test can send what no net/http server would (a malformed status line, a
// header line that is not one, a Location that does not parse).
package rawserver

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Start listens on 127.0.0.1, reads one HTTP request per connection, writes
// back respond's answer to it byte for byte, and closes the connection. It
// returns the listener's address and the count of requests read. The
// listener closes, and its goroutines end, when the test ends.
func Start(t testing.TB, respond func(req *http.Request, body []byte) string) (addr string, hits *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hits = new(atomic.Int32)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				body, _ := io.ReadAll(req.Body)
				hits.Add(1)
				_, _ = io.WriteString(conn, respond(req, body))
			}()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		wg.Wait()
	})
	return ln.Addr().String(), hits
}
