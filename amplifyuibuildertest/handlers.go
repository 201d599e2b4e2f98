package amplifyuibuildertest

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/uibuilder-go/amplifyuibuilder/internal/model"
)

// Operation names, as Request.Operation reports them: the Name of each
// operation in internal/model.
const (
	OperationExchangeCodeForToken = "ExchangeCodeForToken"
	OperationRefreshToken         = "RefreshToken"
)

// supportedProvider is the only token provider the service knows.
const supportedProvider = "figma"

// maxRequestBody is the most the server reads of a request body; the
// service's bodies are a few hundred bytes.
const maxRequestBody = 64 << 10

// apiError is an error answer: its status, its code (X-Amzn-Errortype) and
// its message. Messages never quote a code, a token or a key.
type apiError struct {
	status  int
	code    string
	message string
}

func invalidParameter(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "InvalidParameterException", message: fmt.Sprintf(format, args...)}
}

// ServeHTTP answers one request: an injected fault if one is queued, else
// authentication, then the operation. Every answer carries a request id and
// a Date from the server's clock, and is recorded.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	select {
	case <-s.closing:
		// A request that arrives while Close runs, on a connection not yet
		// closed, gets no answer, as from a server going away.
		dropConnection(w)
		return
	default:
	}
	requestID := newRequestID()
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))

	body, readErr := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
	// Requests are routed, and signatures checked, on the normalised path,
	// as the service does: /tokens/./figma is /tokens/figma.
	path := normalizePath(sentPath(r))
	operation, provider := route(r.Method, path)
	if isAuthorizePath(path) {
		operation = OperationAuthorize
	}
	answer := &answerWriter{ResponseWriter: w, method: r.Method, path: sentPath(r)}
	defer answer.closeDropped() // after the hook has heard of the request
	defer s.finished(s.record(r, body, operation, provider, requestID), answer)

	if operation == OperationAuthorize {
		s.serveAuthorize(answer, r, path)
		return
	}
	if fault, ok := s.takeFault(); ok {
		if answered := s.applyFault(answer, r, fault); answered {
			return
		}
	}

	result, apiErr := s.handle(r, path, body, readErr, operation, provider)
	if apiErr != nil {
		writeError(answer, apiErr)
		return
	}
	write(answer, http.StatusOK, "", result)
}

// handle authenticates the request and runs its operation.
func (s *Server) handle(r *http.Request, path string, body []byte, readErr error, operation, provider string) (any, *apiError) {
	if readErr != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(readErr, &tooLarge) {
			return nil, invalidParameter("The request body is larger than %d bytes.", maxRequestBody)
		}
		return nil, invalidParameter("The request body could not be read.")
	}
	if err := s.authenticate(r, path, body); err != nil {
		return nil, err
	}
	if operation == "" {
		return nil, &apiError{status: http.StatusNotFound, code: "UnknownOperationException",
			message: fmt.Sprintf("No operation matches %s %s.", r.Method, path)}
	}
	if err := checkContentType(r); err != nil {
		return nil, err
	}
	if provider != supportedProvider {
		return nil, invalidParameter("Unsupported token provider %q: the only supported provider is %s.", provider, supportedProvider)
	}
	switch operation {
	case OperationExchangeCodeForToken:
		return s.exchangeCodeForToken(body)
	case OperationRefreshToken:
		return s.refreshToken(body)
	}
	return nil, &apiError{status: http.StatusNotImplemented, code: "NotImplementedException",
		message: fmt.Sprintf("The local endpoint does not serve %s.", operation)}
}

// route names the operation a request's method and normalised, escaped path
// select, and its provider label, decoded: the operation whose
// PathPrefix{label}PathSuffix the path is, in internal/model. The path is
// split before decoding, so that an escaped slash in the label stays in the
// label.
func route(method, path string) (operation, provider string) {
	// A request made in the process may have a path without its slash.
	path = "/" + strings.TrimPrefix(path, "/")
	for _, op := range model.Operations {
		rest, prefixed := strings.CutPrefix(path, op.PathPrefix)
		label, suffixed := strings.CutSuffix(rest, op.PathSuffix)
		if method != op.Method || !prefixed || !suffixed || strings.Contains(label, "/") {
			continue
		}
		label, err := url.PathUnescape(label)
		if err != nil {
			return "", ""
		}
		return op.Name, label
	}
	return "", ""
}

// checkContentType rejects a body that is not declared as JSON, as Smithy
// restJson1 servers do.
func checkContentType(r *http.Request) *apiError {
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "application/json" {
		return &apiError{status: http.StatusUnsupportedMediaType, code: "UnsupportedMediaTypeException",
			message: "The request body must be sent as Content-Type: application/json."}
	}
	return nil
}

// tokenResponse is a successful answer: its JSON body holds the members of
// output, each the field its GoName names. RefreshToken's output has no
// refreshToken member.
type tokenResponse struct {
	output       *model.Structure
	AccessToken  string
	ExpiresIn    int64
	RefreshToken string
}

// MarshalJSON writes the members of r.output, in the order of their keys.
func (r *tokenResponse) MarshalJSON() ([]byte, error) {
	fields := map[string]any{"AccessToken": r.AccessToken, "ExpiresIn": r.ExpiresIn, "RefreshToken": r.RefreshToken}
	members := map[string]any{}
	for _, m := range r.output.Members {
		v, ok := fields[m.GoName]
		if !ok {
			return nil, fmt.Errorf("amplifyuibuildertest: no field for member %s of %s", m.Name, r.output.Name)
		}
		members[m.Name] = v
	}
	return json.Marshal(members) // a map's keys are written sorted, as on the wire
}

func (s *Server) exchangeCodeForToken(body []byte) (any, *apiError) {
	members, err := readMembers(body, model.ExchangeCodeForToken.Payload)
	if err != nil {
		return nil, err
	}

	// The code is spent by the first request that presents it, whatever
	// becomes of that request, so that a leaked code cannot be tried twice.
	// An expired code has been forgotten: it is unknown.
	s.mu.Lock()
	issued, known := s.codes.take(s.now(), members["code"])
	s.mu.Unlock()
	if !known {
		return nil, invalidParameter("The authorization code is not valid: it is unknown or has already been used.")
	}
	if members["redirectUri"] != issued.redirectURI {
		return nil, invalidParameter("The redirectUri does not match the redirect URI the authorization code was issued for.")
	}
	if clientID, named := members["clientId"]; named && issued.clientID != "" && clientID != issued.clientID {
		return nil, invalidParameter("The clientId does not match the client the authorization code was issued to.")
	}

	refreshToken := newSecret("refresh-")
	s.mu.Lock()
	s.refresh.add(s.now(), refreshToken, struct{}{}, refreshTokenExpiry)
	s.mu.Unlock()
	out := s.issueAccessToken(model.ExchangeCodeForToken.Output)
	out.RefreshToken = refreshToken
	return out, nil
}

func (s *Server) refreshToken(body []byte) (any, *apiError) {
	members, err := readMembers(body, model.RefreshToken.Payload)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	_, known := s.refresh.get(s.now(), members["token"])
	s.mu.Unlock()
	if !known {
		return nil, invalidParameter("The refresh token is not valid: this endpoint did not issue it.")
	}
	return s.issueAccessToken(model.RefreshToken.Output), nil
}

// issueAccessToken makes a new access token that expires after the
// configured lifetime, by the server's clock, in an answer of output.
func (s *Server) issueAccessToken(output *model.Structure) *tokenResponse {
	token := newSecret("access-")
	s.mu.Lock()
	now := s.now()
	s.access.add(now, token, struct{}{}, now.Add(s.config.lifetime))
	s.mu.Unlock()
	return &tokenResponse{output: output, AccessToken: token, ExpiresIn: int64(s.config.lifetime.Seconds())}
}

// readMembers decodes a JSON object of shape's string members: each must
// be a string that is not blank when present, and each required one must be
// present. A null member is absent; members not in shape are ignored, as a
// service ignores members it does not know. An error names the member,
// never its value, which may be a secret.
func readMembers(body []byte, shape *model.Structure) (map[string]string, *apiError) {
	var object map[string]json.RawMessage
	if err := json.Unmarshal(body, &object); err != nil || object == nil {
		return nil, invalidParameter("The request body must be a JSON object.")
	}
	members := map[string]string{}
	for _, m := range shape.Members {
		raw, present := object[m.Name]
		if !present || string(raw) == "null" {
			continue
		}
		var value string
		if err := json.Unmarshal(raw, &value); err != nil {
			return nil, invalidParameter("Member %s must be a string.", m.Name)
		}
		if strings.TrimSpace(value) == "" {
			return nil, invalidParameter("Member %s must not be blank.", m.Name)
		}
		members[m.Name] = value
	}
	for _, m := range shape.Members {
		if _, ok := members[m.Name]; m.Required && !ok {
			return nil, invalidParameter("Missing required member: %s.", m.Name)
		}
	}
	return members, nil
}

// write sends a JSON answer. An error answer names its code
// in X-Amzn-Errortype, as AWS services do. An answer that cannot be written
// is an InternalFailure.
func write(w http.ResponseWriter, status int, errorCode string, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, errorCode = http.StatusInternalServerError, "InternalFailure"
		body = []byte(`{"message":"The answer could not be written."}`)
	}
	if errorCode != "" {
		w.Header().Set("X-Amzn-Errortype", errorCode)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeError sends an error answer: its code, and {"message": ...}.
func writeError(w http.ResponseWriter, e *apiError) {
	write(w, e.status, e.code, struct {
		Message string `json:"message"`
	}{e.message})
}

// newSecret returns prefix followed by 128 bits of randomness.
func newSecret(prefix string) string {
	return prefix + rand.Text()
}

// newRequestID returns a random UUID, the form of AWS request ids.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
