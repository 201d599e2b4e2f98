package amplifyuibuildertest

import (
	"bytes"
	"net/http"
)

// Request is one request the server received, and how it answered it.
type Request struct {
	// Operation is OperationExchangeCodeForToken or OperationRefreshToken,
	// or "" when the method and path name neither.
	Operation string

	// Provider is the provider label of the path, decoded.
	Provider string

	// Method is the HTTP method.
	Method string

	// Path is the path as it was sent, escaped, dot segments included.
	Path string

	// Region is the region the request says it was signed for, from the
	// credential scope of its Authorization header; "" when it has none
	// that can be read.
	Region string

	// Header holds the request's headers, Authorization included; Go keeps
	// Host apart, so it is not among them.
	Header http.Header

	// Body is the request body as it was received, at most 64 KiB of it.
	Body []byte

	// RequestID is the X-Amzn-Requestid the server answered with.
	RequestID string

	// Status is the status of the answer: 0 while the request is being
	// answered, and when the server dropped the connection or the client
	// went away before an answer.
	Status int

	// ErrorCode is the X-Amzn-Errortype of an error answer, else "".
	ErrorCode string
}

// Requests returns the requests the server has received, in the order they
// arrived. The result is a copy: changing it changes nothing in the server.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		r.Header = r.Header.Clone()
		r.Body = bytes.Clone(r.Body)
		out[i] = r
	}
	return out
}

// record adds a request as it arrived and returns its index, for answered.
func (s *Server) record(r *http.Request, body []byte, operation, provider, requestID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{
		Operation: operation,
		Provider:  provider,
		Method:    r.Method,
		Path:      sentPath(r),
		Region:    signedRegion(r),
		Header:    r.Header.Clone(),
		Body:      body,
		RequestID: requestID,
	})
	return len(s.requests) - 1
}

// answered records how the server answered the request at index entry.
func (s *Server) answered(entry int, status int, errorCode string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[entry].Status = status
	s.requests[entry].ErrorCode = errorCode
}

// signedRegion returns the region of the request's credential scope, or "".
func signedRegion(r *http.Request) string {
	auth, err := parseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return ""
	}
	return auth.region
}
