package amplifyuibuilder

import (
	"context"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go/logging"

	"github.com/uibuilder-go/amplifyuibuilder/internal/jsonwire"
	"github.com/uibuilder-go/amplifyuibuilder/internal/redact"
)

// callSecrets gathers the secret values of one call as they become known (the
// request body's secret members once it is serialized, the credentials once
// an attempt is signed) and removes them from text the client does not
// compose itself: what the server sends back (error codes, messages, request
// ids), which an echoing server or proxy may fill with what it received, and
// every log line of the call, whichever middleware formats it.
//
// Redaction by position (secret members, credential headers, Format) is the
// first line of defence; this is the second, for secrets out of place.
type callSecrets struct {
	log scrubbingLogger // the call's logger, once logger made it

	mu       sync.Mutex
	body     []byte
	creds    aws.Credentials
	scrubber *redact.Scrubber // built on first use; nil when out of date
}

func newCallSecrets() *callSecrets {
	return &callSecrets{}
}

// logger returns the call's logger: inner, behind the scrubber. It is
// context-aware when inner is.
func (s *callSecrets) logger(inner logging.Logger) logging.Logger {
	if inner == nil {
		inner = logging.Nop{}
	}
	if s == nil {
		return inner
	}
	s.log = scrubbingLogger{logger: inner, secrets: s}
	if _, ok := inner.(logging.ContextLogger); ok {
		return contextScrubbingLogger{&s.log}
	}
	return &s.log
}

// callSecretsKey finds the call's secrets; callValues answers it.
type callSecretsKey struct{}

// getCallSecrets returns the call's secrets, or nil outside a call: every
// method works on nil and then removes nothing.
func getCallSecrets(ctx context.Context) *callSecrets {
	s, _ := ctx.Value(callSecretsKey{}).(*callSecrets)
	return s
}

// setBody records the serialized request body, whose secret members are
// read when first needed.
func (s *callSecrets) setBody(body []byte) {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.body, s.scrubber = body, nil
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
// redact.Marker.
func (s *callSecrets) scrub(text string) string {
	if s == nil {
		return text
	}
	s.mu.Lock()
	if s.scrubber == nil {
		values := []string{s.creds.AccessKeyID, s.creds.SecretAccessKey, s.creds.SessionToken}
		// The body is the client's own JSON: it parses.
		_ = jsonwire.Object(s.body, func(key, value []byte) error {
			if sensitiveMembers[string(key)] {
				if v, _ := jsonwire.String(value); v != nil {
					values = append(values, *v)
				}
			}
			return nil
		})
		s.scrubber = redact.NewScrubber(values...)
	}
	scrubber := s.scrubber
	s.mu.Unlock()
	return scrubber.Scrub(text)
}

// scrubbingLogger removes the call's secrets from each line before the
// caller's logger gets it.
type scrubbingLogger struct {
	logger  logging.Logger
	secrets *callSecrets
}

func (l *scrubbingLogger) Logf(classification logging.Classification, format string, v ...any) {
	l.logger.Logf(classification, "%s", l.secrets.scrub(fmt.Sprintf(format, v...)))
}

// contextScrubbingLogger is the scrubbing logger of a context-aware logger.
type contextScrubbingLogger struct{ *scrubbingLogger }

// WithContext hands the context to the caller's logger and keeps scrubbing
// what it is given.
func (l contextScrubbingLogger) WithContext(ctx context.Context) logging.Logger {
	return &scrubbingLogger{logger: l.logger.(logging.ContextLogger).WithContext(ctx), secrets: l.secrets}
}
