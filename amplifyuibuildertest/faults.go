package amplifyuibuildertest

import (
	"net"
	"net/http"
	"time"
)

// Fault is something the server does to a request instead of, or before,
// answering it as the service would. Faults apply before authentication, as
// an overloaded front end fails requests before looking at them.
type Fault struct {
	// Delay holds the answer back this long. The wait ends early, without
	// an answer, when the client gives up or the server is closed.
	Delay time.Duration

	// Drop closes the connection without answering.
	Drop bool

	// Status, when not zero, answers with this status and Code instead of
	// handling the request: 429 or 400 with ThrottlingException, 500 with
	// InternalServerException, 503 with ServiceUnavailableException.
	Status int

	// Code is the error code of a Status answer.
	Code string

	// Message is the message of a Status answer; the status text when empty.
	Message string
}

// queuedFault is a fault and how many more requests it applies to.
type queuedFault struct {
	fault     Fault
	remaining int
}

// InjectFault applies f to each of the next n requests. Faults queued by
// several calls apply one after the other, in the order of the calls.
func (s *Server) InjectFault(n int, f Fault) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	s.faults = append(s.faults, queuedFault{fault: f, remaining: n})
	s.mu.Unlock()
}

// FailNext answers each of the next n requests with status and error code
// code, for example FailNext(2, 429, "ThrottlingException").
func (s *Server) FailNext(n, status int, code string) {
	s.InjectFault(n, Fault{Status: status, Code: code})
}

// DelayNext holds back the answer to each of the next n requests by d.
func (s *Server) DelayNext(n int, d time.Duration) {
	s.InjectFault(n, Fault{Delay: d})
}

// DropNext closes the connection of each of the next n requests without an
// answer, as a lost response looks to a client.
func (s *Server) DropNext(n int) {
	s.InjectFault(n, Fault{Drop: true})
}

// takeFault returns the fault the next request gets, if any.
func (s *Server) takeFault() (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.faults) == 0 {
		return Fault{}, false
	}
	head := &s.faults[0]
	f := head.fault
	if head.remaining--; head.remaining == 0 {
		s.faults = s.faults[1:]
	}
	return f, true
}

// applyFault does f to the request and reports whether that was its answer.
// A fault with only a Delay lets the request be handled afterwards.
func (s *Server) applyFault(w *answerWriter, r *http.Request, f Fault) (answered bool) {
	if f.Delay > 0 {
		timer := time.NewTimer(f.Delay)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-r.Context().Done():
			w.drop()
			return true
		case <-s.closing:
			// Returning without a word would send an empty 200.
			w.drop()
			return true
		}
	}
	switch {
	case f.Drop:
		w.drop()
		return true
	case f.Status != 0:
		message := f.Message
		if message == "" {
			message = http.StatusText(f.Status)
		}
		writeError(w, &apiError{status: f.Status, code: f.Code, message: message})
		return true
	}
	return false
}

// dropConnection closes the request's connection without writing anything.
func dropConnection(w http.ResponseWriter) {
	_ = hijack(w).Close()
}

// hijack takes the request's connection from net/http, so that nothing is
// written to it.
func hijack(w http.ResponseWriter) net.Conn {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// HTTP/2 connections cannot be hijacked: abort the stream instead.
		panic(http.ErrAbortHandler)
	}
	return conn
}

// drop takes the request's connection, to close it once the request has
// been recorded and its hook has run: a client that sees the connection
// close then finds the dropped request already told, before its next one.
func (w *answerWriter) drop() {
	w.dropped = hijack(w)
}

// closeDropped closes the connection that drop took, if any.
func (w *answerWriter) closeDropped() {
	if w.dropped != nil {
		_ = w.dropped.Close()
	}
}
