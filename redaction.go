package amplifyuibuilder

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	smithy "github.com/aws/smithy-go"

	"github.com/uibuilder-go/amplifyuibuilder/internal/model"
	"github.com/uibuilder-go/amplifyuibuilder/internal/redact"
)

// The secrets of a call and where they are hidden. Redaction by position
// (the sensitive members of the operations' description, credential headers,
// Format) is the first line of defence; scrubbing the values the call knows
// to be secret out of text it does not compose itself is the second, for
// secrets out of place.

// sensitiveMembers are the JSON members whose values are secrets in any
// request or response body, as the operations' description marks them.
var sensitiveMembers = model.SensitiveNames()

// sensitiveHeaders carry credentials.
var sensitiveHeaders = map[string]bool{
	"Authorization":        true,
	"X-Amz-Security-Token": true,
}

// maxBodySecrets is the most secret members a request body has.
const maxBodySecrets = model.MaxMembers

// callSecrets gathers the secret values of one call as they become known (the
// request body's sensitive members as the serializer writes them, the
// credentials as GetIdentity fetches them) and removes them from text the
// client does not compose itself: what the server sends back (error codes,
// messages, request ids), which an echoing server or proxy may fill with what
// it received, and every log line of the call, whichever middleware formats
// it.
type callSecrets struct {
	mu       sync.Mutex
	body     [maxBodySecrets]string
	nBody    int
	creds    aws.Credentials
	scrubber *redact.Scrubber // built on first use; nil when out of date
}

// getCallSecrets returns the call's secrets, or nil outside a call: every
// method works on nil and then removes nothing.
func getCallSecrets(ctx context.Context) *callSecrets {
	if state := getCallState(ctx); state != nil {
		return &state.secrets
	}
	return nil
}

// add records the value of a sensitive body member.
func (s *callSecrets) add(value string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	if s.nBody < len(s.body) {
		s.body[s.nBody] = value
		s.nBody++
		s.scrubber = nil
	}
	s.mu.Unlock()
}

// setCredentials records the credentials an attempt is signed with.
func (s *callSecrets) setCredentials(creds aws.Credentials) {
	if s == nil {
		return
	}
	s.mu.Lock()
	if creds.AccessKeyID != s.creds.AccessKeyID || creds.SecretAccessKey != s.creds.SecretAccessKey ||
		creds.SessionToken != s.creds.SessionToken {
		s.creds, s.scrubber = creds, nil
	}
	s.mu.Unlock()
}

// scrub returns text with every secret of the call replaced by
// redact.Marker. Text that cannot hold one is returned as it is, without
// building the scrubber.
func (s *callSecrets) scrub(text string) string {
	if s == nil || text == "" {
		return text
	}
	s.mu.Lock()
	if !redact.MayHold(text, s.body[:s.nBody]...) &&
		!redact.MayHold(text, s.creds.AccessKeyID, s.creds.SecretAccessKey, s.creds.SessionToken) {
		s.mu.Unlock()
		return text
	}
	if s.scrubber == nil {
		s.scrubber = redact.NewScrubber(append(s.body[:s.nBody:s.nBody],
			s.creds.AccessKeyID, s.creds.SecretAccessKey, s.creds.SessionToken)...)
	}
	scrubber := s.scrubber
	s.mu.Unlock()
	return scrubber.Scrub(text)
}

// scrubError returns err with the call's secrets removed from its text: err
// itself when its text holds none, else a *url.Error (URL and error) or a
// *smithy.DeserializationError rebuilt scrubbed, so that errors.As finds a
// clean one, and any other error wrapped in a scrubbedError (errors.go). An
// echoing server puts the request body into the errors net/http returns (a
// malformed status line, status code, Content-Length, header or trailer
// line, or Location quotes it), which would otherwise reach the caller, and
// the CLI's stderr, verbatim.
func (s *callSecrets) scrubError(err error) error {
	if s == nil || err == nil {
		return err
	}
	text := err.Error()
	if s.scrub(text) == text {
		return err
	}
	switch e := err.(type) {
	case *url.Error:
		return &url.Error{Op: e.Op, URL: s.scrub(e.URL), Err: s.scrubError(e.Err)}
	case *smithy.DeserializationError:
		return &smithy.DeserializationError{Err: s.scrubError(e.Err), Snapshot: e.Snapshot}
	}
	return newScrubbedError(err, s.scrub)
}

// redactHeader hides credentials: the session token entirely, and in the
// Authorization header the access key id and the signature, keeping the
// scope and the signed header names, which are what one debugs.
func redactHeader(name, value string) string {
	name = http.CanonicalHeaderKey(name)
	if !sensitiveHeaders[name] {
		return value
	}
	if name == "Authorization" {
		return redactAuthorization(value)
	}
	return redact.Marker
}

func redactAuthorization(value string) string {
	algorithm, rest, ok := strings.Cut(value, " ")
	if !ok {
		return redact.Marker
	}
	parts := strings.Split(rest, ", ")
	for i, part := range parts {
		key, val, _ := strings.Cut(part, "=")
		switch key {
		case "Credential":
			if _, scope, ok := strings.Cut(val, "/"); ok {
				parts[i] = key + "=" + redact.Marker + "/" + scope
			} else {
				parts[i] = key + "=" + redact.Marker
			}
		case "SignedHeaders":
		default:
			parts[i] = key + "=" + redact.Marker
		}
	}
	return algorithm + " " + strings.Join(parts, ", ")
}

// redactedURI returns the request URI; the token operations carry no secret
// in the URL, but a query string added by a stack function might.
func redactedURI(uri string) string {
	if path, query, ok := strings.Cut(uri, "?"); ok && query != "" {
		return path + "?" + redact.Marker
	}
	return uri
}

// redactBody returns a JSON body with the values of sensitive members
// replaced by the marker, at any depth, and the rest as it was. A body that
// is not JSON is not logged: it cannot be redacted, so only its size is.
func redactBody(body []byte) string {
	if len(bytes.TrimSpace(body)) == 0 {
		return string(body)
	}
	if !json.Valid(body) {
		return fmt.Sprintf("[%d bytes of non-JSON body not logged]", len(body))
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return fmt.Sprintf("[%d bytes of body not logged]", len(body))
	}
	out, err := json.Marshal(redactValue(doc))
	if err != nil {
		return fmt.Sprintf("[%d bytes of body not logged]", len(body))
	}
	return string(out)
}

func redactValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for key, member := range v {
			if sensitiveMembers[key] && member != nil {
				v[key] = redact.Marker
				continue
			}
			v[key] = redactValue(member)
		}
	case []any:
		for i := range v {
			v[i] = redactValue(v[i])
		}
	}
	return v
}

// signingLogLine describes how a request was signed without the credentials.
func signingLogLine(header http.Header) string {
	return fmt.Sprintf("Request signed: X-Amz-Date=%s, Authorization=%s, X-Amz-Security-Token=%s",
		header.Get("X-Amz-Date"), redactAuthorization(header.Get("Authorization")),
		presence(header.Get("X-Amz-Security-Token")))
}

func presence(v string) string {
	if v == "" {
		return "(none)"
	}
	return redact.Marker
}
