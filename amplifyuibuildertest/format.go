package amplifyuibuildertest

import (
	"fmt"

	"github.com/uibuilder-go/amplifyuibuilder/internal/redact"
)

// secretHeaders are the request headers whose values a printed Request
// hides: the signature, the session token, and a browser's cookies.
var secretHeaders = []string{"Authorization", "X-Amz-Security-Token", "Cookie"}

// Format prints the server's URL and region, for every verb, and nothing
// it holds: not the secret key, the codes and tokens it issued, nor the
// requests it recorded.
func (s *Server) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "amplifyuibuildertest.Server",
		redact.Field{Name: "URL", Value: s.URL},
		redact.Field{Name: "Region", Value: s.Region()},
	)
}

// Format prints r for every verb with its body (which holds the code, the
// refresh token or the client id) and the values of its Authorization,
// X-Amz-Security-Token and Cookie headers redacted, so that a test that logs
// what the server received prints no secret. The fields themselves hold
// everything, for a test to check.
func (r Request) Format(f fmt.State, verb rune) {
	var body *string
	if len(r.Body) > 0 {
		body = new(string)
	}
	header := r.Header.Clone()
	for _, name := range secretHeaders {
		for i := range header[name] {
			header[name][i] = redact.Marker
		}
	}
	redact.Format(f, verb, "amplifyuibuildertest.Request",
		redact.Field{Name: "Operation", Value: r.Operation},
		redact.Field{Name: "Provider", Value: r.Provider},
		redact.Field{Name: "Method", Value: r.Method},
		redact.Field{Name: "Path", Value: r.Path},
		redact.Field{Name: "Region", Value: r.Region},
		redact.Field{Name: "Header", Value: header},
		redact.Field{Name: "Body", Value: body, Secret: true},
		redact.Field{Name: "Truncated", Value: r.Truncated},
		redact.Field{Name: "RequestID", Value: r.RequestID},
		redact.Field{Name: "Status", Value: r.Status},
		redact.Field{Name: "ErrorCode", Value: r.ErrorCode},
		redact.Field{Name: "Time", Value: r.Time},
	)
}
