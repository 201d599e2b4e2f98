package amplifyuibuildertest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// signingName is the service name requests must be signed for.
const signingName = "amplifyuibuilder"

// maxSkew is how far a request's signing time may be from the server's
// clock, as AWS allows.
const maxSkew = 5 * time.Minute

// amzDateFormat is the form of X-Amz-Date.
const amzDateFormat = "20060102T150405Z"

// The 403 answers, with the codes and messages AWS gives.
func missingAuthenticationToken() *apiError {
	return &apiError{status: http.StatusForbidden, code: "MissingAuthenticationTokenException", message: "Missing Authentication Token"}
}

func incompleteSignature(message string) *apiError {
	return &apiError{status: http.StatusForbidden, code: "IncompleteSignatureException", message: message}
}

func unrecognizedClient() *apiError {
	return &apiError{status: http.StatusForbidden, code: "UnrecognizedClientException", message: "The security token included in the request is invalid."}
}

func invalidSignature(format string, args ...any) *apiError {
	return &apiError{status: http.StatusForbidden, code: "InvalidSignatureException", message: fmt.Sprintf(format, args...)}
}

// authenticate checks the request's SigV4 signature: who signed it, for which
// region and service, when, and that the signature is the one the server's
// credentials give for this very request. It returns the 403 answer to a
// request that fails, nil to one that passes.
func (s *Server) authenticate(r *http.Request, path string, body []byte) *apiError {
	header := r.Header.Get("Authorization")
	if header == "" {
		return missingAuthenticationToken()
	}
	auth, apiErr := parseAuthorization(header)
	if apiErr != nil {
		return apiErr
	}
	amzDate := r.Header.Get("X-Amz-Date")
	if amzDate == "" {
		return incompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	signedAt, err := time.Parse(amzDateFormat, amzDate)
	if err != nil {
		return incompleteSignature("X-Amz-Date must have the form YYYYMMDD'T'HHMMSS'Z'.")
	}

	creds := s.config.credentials
	if auth.accessKeyID != creds.AccessKeyID || r.Header.Get("X-Amz-Security-Token") != creds.SessionToken {
		return unrecognizedClient()
	}
	if err := s.checkScope(auth, amzDate); err != nil {
		return err
	}
	if err := s.checkSigningTime(signedAt); err != nil {
		return err
	}

	expected, ok := s.expectedSignature(r, path, body, auth, signedAt)
	if !ok || !hmac.Equal([]byte(expected), []byte(auth.signature)) {
		return invalidSignature("The request signature we calculated does not match the signature you provided. " +
			"Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	}
	return nil
}

// authorization is what an Authorization header says.
type authorization struct {
	accessKeyID                       string
	date, region, service, terminator string // the credential scope
	signedHeaders                     []string
	signature                         string
}

// parseAuthorization reads "AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/
// SERVICE/aws4_request, SignedHeaders=a;b, Signature=HEX", or returns the
// answer to a header that does not say all of it.
func parseAuthorization(header string) (authorization, *apiError) {
	algorithm, rest, _ := strings.Cut(header, " ")
	if algorithm != "AWS4-HMAC-SHA256" {
		return authorization{}, incompleteSignature("Unsupported Authorization algorithm: only AWS4-HMAC-SHA256 is accepted.")
	}
	params := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		key, value, _ := strings.Cut(strings.TrimSpace(part), "=")
		params[key] = value
	}
	var missing []string
	for _, name := range []string{"Credential", "SignedHeaders", "Signature"} {
		if params[name] == "" {
			missing = append(missing, fmt.Sprintf("Authorization header requires '%s' parameter.", name))
		}
	}
	if len(missing) > 0 {
		return authorization{}, incompleteSignature(strings.Join(missing, " "))
	}
	scope := strings.Split(params["Credential"], "/")
	if len(scope) != 5 {
		return authorization{}, incompleteSignature("Credential must have the form ACCESS_KEY_ID/DATE/REGION/SERVICE/aws4_request.")
	}
	return authorization{
		accessKeyID:   scope[0],
		date:          scope[1],
		region:        scope[2],
		service:       scope[3],
		terminator:    scope[4],
		signedHeaders: strings.Split(params["SignedHeaders"], ";"),
		signature:     params["Signature"],
	}, nil
}

// checkScope checks the credential scope against the request date, the
// service and, when WithRegion pinned one, the server's region, with the
// messages AWS gives.
func (s *Server) checkScope(auth authorization, amzDate string) *apiError {
	switch {
	case auth.date != amzDate[:8]:
		return invalidSignature("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.",
			auth.date, amzDate[:8], amzDate)
	case auth.region == "":
		return invalidSignature("Credential should be scoped to a valid region.")
	case s.config.region != "" && auth.region != s.config.region:
		return invalidSignature("Credential should be scoped to a valid region, not '%s'. Expected '%s'.", auth.region, s.config.region)
	case auth.service != signingName:
		return invalidSignature("Credential should be scoped to correct service: '%s'.", signingName)
	case auth.terminator != "aws4_request":
		return invalidSignature("Credential should be scoped with a valid terminator: 'aws4_request', not '%s'.", auth.terminator)
	}
	return nil
}

// checkSigningTime rejects a request signed more than maxSkew away from the
// server's clock.
func (s *Server) checkSigningTime(signedAt time.Time) *apiError {
	now := s.now().UTC()
	switch {
	case signedAt.Before(now.Add(-maxSkew)):
		return invalidSignature("Signature expired: %s is now earlier than %s (%s - 5 min.)",
			signedAt.Format(amzDateFormat), now.Add(-maxSkew).Format(amzDateFormat), now.Format(amzDateFormat))
	case signedAt.After(now.Add(maxSkew)):
		return invalidSignature("Signature not yet current: %s is still later than %s (%s + 5 min.)",
			signedAt.Format(amzDateFormat), now.Add(maxSkew).Format(amzDateFormat), now.Format(amzDateFormat))
	}
	return nil
}

// expectedSignature signs, with the server's credentials and aws-sdk-go-v2's
// signer, a canonical copy of the request and returns the signature. The copy
// has the normalised path (normalizePath) and only the headers the client
// says it signed, each value canonical (canonicalHeaderValue), so that the
// signer computes what the SigV4 specification does. The signer writes
// Host, X-Amz-Date and X-Amz-Security-Token itself, and signs
// Content-Length from the request's length, so a client that left one of
// them out of its signed headers gets a different signature, as AWS would
// tell it.
func (s *Server) expectedSignature(r *http.Request, path string, body []byte, auth authorization, signedAt time.Time) (signature string, ok bool) {
	// The signer reads an opaque URL's path as it is, escaping it once
	// more; a parsed path could come back escaped differently.
	u := &url.URL{Scheme: "http", Host: r.Host, Opaque: "//" + r.Host + path, RawQuery: r.URL.RawQuery}
	req := &http.Request{Method: r.Method, URL: u, Host: r.Host, Header: http.Header{}}
	for _, name := range auth.signedHeaders {
		switch name {
		case "host", "x-amz-date", "x-amz-security-token":
		case "content-length":
			req.ContentLength = int64(len(body))
		default:
			key := http.CanonicalHeaderKey(name)
			for _, value := range r.Header[key] {
				req.Header.Add(key, canonicalHeaderValue(value))
			}
		}
	}
	sum := sha256.Sum256(body)
	err := v4.NewSigner().SignHTTP(r.Context(), s.config.credentials, req, hex.EncodeToString(sum[:]),
		signingName, auth.region, signedAt)
	if err != nil {
		return "", false
	}
	signed, apiErr := parseAuthorization(req.Header.Get("Authorization"))
	return signed.signature, apiErr == nil
}
