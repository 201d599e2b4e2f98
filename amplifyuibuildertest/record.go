package amplifyuibuildertest

import (
	"bytes"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Request is one request the server received, and how it answered it.
type Request struct {
	// Operation is OperationExchangeCodeForToken, OperationRefreshToken or
	// OperationAuthorize, or "" when the method and path name none.
	Operation string

	// Provider is the provider label of the path, decoded.
	Provider string

	// Method is the HTTP method, cut as Path is.
	Method string

	// Path is the path as it was sent, escaped, dot segments included,
	// cut after DefaultRecordedBytes (WithRequestRecord) as Provider and
	// Region are.
	Path string

	// Region is the region the request says it was signed for, from the
	// credential scope of its Authorization header; "" when it has none
	// that can be read.
	Region string

	// Header holds the request's headers, Authorization included; Go keeps
	// Host apart, so it is not among them. It keeps at most
	// DefaultRecordedBytes (WithRequestRecord) of names and values, taken
	// in name order; Truncated says when some were cut.
	Header http.Header

	// Body is the request body as it was received, cut after
	// DefaultRecordedBytes (WithRequestRecord).
	Body []byte

	// Truncated reports whether Header, Body, Method, Path, Provider or
	// Region holds less than arrived.
	Truncated bool

	// RequestID is the X-Amzn-Requestid the server answered with.
	RequestID string

	// Status is the status of the answer: 0 while the request is being
	// answered, and when the server dropped the connection or the client
	// went away before an answer.
	Status int

	// ErrorCode is the X-Amzn-Errortype of an error answer, else "".
	ErrorCode string

	// Time is when the request arrived, by the server's clock.
	Time time.Time
}

// WithRequestHook makes the server call fn once for every request it
// received, when it has answered it, with the request as Requests reports
// it (Status 0: dropped without an answer), for example to log one line per
// request. fn runs on the request's goroutine before the answer is
// complete, so it should be quick; it may be called concurrently.
func WithRequestHook(fn func(Request)) Option {
	return func(c *config) { c.hook = fn }
}

// requestRecord keeps the most recent requests, each cut to a size: however
// many requests arrive, signed or not, it holds no more than its bounds. The
// server's mutex guards it.
type requestRecord struct {
	bytes   int       // kept of each body, and of each request's headers
	entries []Request // a ring: entries[seq % len] holds request seq
	seqs    []uint64  // seqs[i] is the seq entries[i] holds, 0: none
	next    uint64    // the seq of the next request, from 1
}

func newRequestRecord(requests, bytes int) requestRecord {
	return requestRecord{bytes: bytes, entries: make([]Request, requests), seqs: make([]uint64, requests), next: 1}
}

// Requests returns the most recent requests the server has received, in
// the order they arrived: at most DefaultRecordedRequests of them
// (WithRequestRecord), each cut as Request says. The result is a copy:
// changing it changes nothing in the server.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := &s.requests
	var out []Request
	for seq := rec.oldest(); seq < rec.next; seq++ {
		r := rec.entries[seq%uint64(len(rec.entries))]
		r.Header = r.Header.Clone()
		r.Body = bytes.Clone(r.Body)
		out = append(out, r)
	}
	return out
}

// oldest returns the seq of the oldest request kept.
func (rec *requestRecord) oldest() uint64 {
	if kept := uint64(len(rec.entries)); rec.next-1 > kept {
		return rec.next - kept
	}
	return 1
}

// record keeps a request as it arrived, in place of the oldest once the
// record is full, and returns its seq, for answered.
func (s *Server) record(r *http.Request, body []byte, operation, provider, requestID string) uint64 {
	budget := s.requests.bytes
	header, headerCut := cutHeader(r.Header, budget)
	kept := body[:min(len(body), budget)]
	// The method, the path, its label and the region come from the
	// request line and the Authorization header, which may hold 64 KiB
	// each: they are cut to the budget too.
	method, methodCut := cutString(r.Method, budget)
	path, pathCut := cutString(sentPath(r), budget)
	label, labelCut := cutString(provider, budget)
	region, regionCut := cutString(signedRegion(r), budget)
	entry := Request{
		Operation: operation,
		Provider:  label,
		Method:    method,
		Path:      path,
		Region:    region,
		Header:    header,
		Body:      bytes.Clone(kept),
		Truncated: headerCut || len(kept) < len(body) || methodCut || pathCut || labelCut || regionCut,
		RequestID: requestID,
		Time:      s.now(),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := &s.requests
	seq := rec.next
	rec.next++
	i := seq % uint64(len(rec.entries))
	rec.entries[i], rec.seqs[i] = entry, seq
	return seq
}

// finished records how the server answered request seq, as answer saw it,
// and hands the request to the WithRequestHook function.
func (s *Server) finished(seq uint64, answer *answerWriter) {
	errorCode := ""
	if answer.status != 0 {
		errorCode = answer.Header().Get("X-Amzn-Errortype")
	}
	s.mu.Lock()
	rec := &s.requests
	i := seq % uint64(len(rec.entries))
	var done Request
	if rec.seqs[i] == seq {
		rec.entries[i].Status = answer.status
		rec.entries[i].ErrorCode = errorCode
		done = rec.entries[i]
	}
	s.mu.Unlock()
	if s.config.hook == nil {
		return
	}
	if done.RequestID == "" {
		// Pushed out of the record while it was answered: what the hook
		// is told is what the answer says.
		done = Request{Method: answer.method, Path: answer.path, Status: answer.status, ErrorCode: errorCode,
			RequestID: answer.Header().Get("X-Amzn-Requestid"), Time: s.now()}
	}
	done.Header = done.Header.Clone()
	done.Body = bytes.Clone(done.Body)
	s.config.hook(done)
}

// answerWriter remembers the status of the answer written through it: 0
// until one is written, and when the connection is dropped without one.
type answerWriter struct {
	http.ResponseWriter
	status       int
	method, path string
	dropped      net.Conn // the connection drop took, closed by closeDropped
}

func (w *answerWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *answerWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection, to drop it.
func (w *answerWriter) Unwrap() http.ResponseWriter {
	return w.ResponseWriter
}

// cutHeader copies h, keeping at most budget bytes of names and values,
// names in order; a value that does not fit is cut to what is left. The
// copy shares no memory with h, so that a kept request holds no more than
// it says.
func cutHeader(h http.Header, budget int) (http.Header, bool) {
	out := make(http.Header, len(h))
	cut := false
	for _, name := range slices.Sorted(maps.Keys(h)) {
		for _, value := range h[name] {
			room := budget - len(name)
			if room <= 0 {
				cut = true
				continue
			}
			if len(value) > room {
				value, cut = value[:room], true
			}
			out[name] = append(out[name], strings.Clone(value))
			budget -= len(name) + len(value)
		}
	}
	return out, cut
}

// cutString returns a copy of at most budget bytes of v, sharing no memory
// with it, and whether it was cut.
func cutString(v string, budget int) (string, bool) {
	if len(v) > budget {
		return strings.Clone(v[:budget]), true
	}
	return strings.Clone(v), false
}

// signedRegion returns the region of the request's credential scope, or "".
func signedRegion(r *http.Request) string {
	auth, err := parseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return ""
	}
	return auth.region
}
