package amplifyuibuildertest

import "time"

// The limits that keep a server's memory and connections bounded, whoever
// can reach its port: each has a default and an option.
const (
	// DefaultReadHeaderTimeout is how long a connection may take to send
	// a request's headers before the server drops it, so that slow-header
	// (slowloris) connections do not pile up.
	DefaultReadHeaderTimeout = 5 * time.Second

	// DefaultReadTimeout is how long a connection may take to send a
	// whole request, headers and body.
	DefaultReadTimeout = 30 * time.Second

	// DefaultWriteTimeout is how long the server may take to answer a
	// request once its headers are read. A fault's Delay longer than it
	// ends with the connection dropped.
	DefaultWriteTimeout = 60 * time.Second

	// DefaultIdleTimeout is how long a keep-alive connection may wait
	// for its next request.
	DefaultIdleTimeout = 60 * time.Second

	// DefaultMaxHeaderBytes is the most a request's headers may hold, as
	// http.Server.MaxHeaderBytes counts them: 64 KiB. Beyond it the server
	// answers 431.
	DefaultMaxHeaderBytes = 64 << 10

	// DefaultRecordedRequests is how many of the most recent requests
	// Requests returns.
	DefaultRecordedRequests = 1000

	// DefaultRecordedBytes is how much of each request's body, and how
	// much of its headers together, the record keeps: 4 KiB each. The
	// service's bodies are a few hundred bytes.
	DefaultRecordedBytes = 4 << 10
)

// Timeouts are the connection timeouts of a Server's http.Server. A zero
// field keeps its default.
type Timeouts struct {
	ReadHeader time.Duration // DefaultReadHeaderTimeout
	Read       time.Duration // DefaultReadTimeout
	Write      time.Duration // DefaultWriteTimeout
	Idle       time.Duration // DefaultIdleTimeout
}

// WithTimeouts sets the connection timeouts of the server's http.Server
// (ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout); a zero field
// keeps its default.
func WithTimeouts(t Timeouts) Option {
	return func(c *config) {
		c.timeouts = Timeouts{
			ReadHeader: orDefault(t.ReadHeader, c.timeouts.ReadHeader),
			Read:       orDefault(t.Read, c.timeouts.Read),
			Write:      orDefault(t.Write, c.timeouts.Write),
			Idle:       orDefault(t.Idle, c.timeouts.Idle),
		}
	}
}

// WithMaxHeaderBytes sets the most a request's headers may hold
// (DefaultMaxHeaderBytes otherwise; a value below 1 keeps it).
func WithMaxHeaderBytes(n int) Option {
	return func(c *config) { c.maxHeaderBytes = orDefault(max(n, 0), c.maxHeaderBytes) }
}

// WithRequestRecord sets how many of the most recent requests the server
// keeps for Requests (DefaultRecordedRequests otherwise), and how many bytes
// of each one's body, and of its headers together, it keeps
// (DefaultRecordedBytes otherwise). A value below 1 keeps the default.
func WithRequestRecord(requests, bytes int) Option {
	return func(c *config) {
		c.recordedRequests = orDefault(max(requests, 0), c.recordedRequests)
		c.recordedBytes = orDefault(max(bytes, 0), c.recordedBytes)
	}
}

func orDefault[T comparable](value, fallback T) T {
	var zero T
	if value == zero {
		return fallback
	}
	return value
}
