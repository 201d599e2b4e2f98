// Package amplifyuibuildertest runs a fake Amplify UI Builder endpoint in the
// test's own process, in the spirit of net/http/httptest: no AWS account, no
// network but loopback, and a real client talking real HTTP to it.
//
// The server serves ExchangeCodeForToken (POST /tokens/{provider}) and
// RefreshToken (POST /tokens/{provider}/refresh) as the service does on the
// wire. It checks each request's SigV4 signature against the credentials it
// accepts, canonicalising the request as the service does (dot segments of
// the path removed, header whitespace folded), so that botocore, the AWS CLI
// and the JavaScript SDK are served as well as Go; it accepts every region
// unless WithRegion pins one. It hands out single-use authorization codes
// (IssueCode, or its Figma-like authorize page at AuthorizeURL) and fresh
// random tokens, answers bad requests the way the service does (403 with the
// AWS authentication error codes, 400 InvalidParameterException), can be told
// to fail, delay or drop the next requests, and records the requests it
// received:
//
//	srv := amplifyuibuildertest.NewServer()
//	defer srv.Close()
//	client := srv.Client() // the real client, pointed at srv
//	code := srv.IssueCode("https://example.com/callback")
//
// Code that builds its own client points it at the server with the
// server's URL as BaseEndpoint, its Region and its Credentials.
//
// Its error messages never contain an authorization code, a token or a
// secret key.
package amplifyuibuildertest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/uibuilder-go/amplifyuibuilder"
)

// Defaults of a new Server.
const (
	// DefaultRegion is the region Region reports, and Client signs for,
	// unless WithRegion pins one. The server accepts requests signed for
	// any region unless WithRegion pins one.
	DefaultRegion = "us-east-1"

	// DefaultAccessTokenLifetime is how long an issued access token stays
	// valid unless WithAccessTokenLifetime says otherwise: the expiresIn of
	// every token response, in seconds.
	DefaultAccessTokenLifetime = time.Hour

	// DefaultCodeLifetime is how long an authorization code, and a consent
	// page of the authorize endpoint, stays valid unless WithCodeLifetime
	// says otherwise: ten minutes, as OAuth 2.0 providers allow.
	DefaultCodeLifetime = 10 * time.Minute

	// defaultAccessKeyID and defaultSecretAccessKey are the credentials a
	// server accepts unless WithCredentials says otherwise. They are not
	// AWS credentials and unlock nothing anywhere else.
	defaultAccessKeyID     = "LOCALTESTACCESSKEY"
	defaultSecretAccessKey = "local-test-secret-access-key"
)

// Server is a fake Amplify UI Builder endpoint listening on loopback. Its
// methods are safe for concurrent use, including while it serves requests.
type Server struct {
	// URL is the base URL of the server, http://127.0.0.1:PORT, for the
	// client's BaseEndpoint.
	URL string

	config config
	http   *httptest.Server

	// closing is closed when Close starts, to end delayed responses early.
	closing   chan struct{}
	closeOnce sync.Once

	mu       sync.Mutex
	codes    *ledger[issuedCode]       // outstanding authorization codes
	consents *ledger[authorizeRequest] // consent pages not yet answered
	access   *ledger[struct{}]         // access tokens not yet expired
	refresh  map[string]bool           // refresh tokens issued
	faults   []queuedFault
	requests requestRecord
}

// issuedCode is what the server remembers of an authorization code: the
// redirect URI it was issued for, and the client id when the authorize
// endpoint issued it.
type issuedCode struct {
	redirectURI string
	clientID    string
}

// The most codes (with consent pages not yet answered) and access tokens
// the server remembers, however many are asked for: beyond it the oldest are
// forgotten. Codes and consents can be asked for without credentials, at the
// authorize endpoint, so they are held to fewer.
const (
	maxOutstandingCodes  = 4096
	maxOutstandingTokens = 10000
)

// config is what the options set.
type config struct {
	credentials aws.Credentials
	region      string // "": every region
	now         func() time.Time
	clockSet    bool // WithClock was given
	lifetime    time.Duration
	listener    net.Listener

	codeLifetime time.Duration
	autoApprove  bool
	redirectURIs []string // nil: loopback URIs

	timeouts         Timeouts
	maxHeaderBytes   int
	recordedRequests int
	recordedBytes    int
	hook             func(Request)
}

// Option configures a Server.
type Option func(*config)

// WithCredentials makes the server accept requests signed with creds instead
// of its default credentials. When creds has a session token, requests must
// carry it in X-Amz-Security-Token; when it has none, they must carry none.
func WithCredentials(creds aws.Credentials) Option {
	return func(c *config) { c.credentials = creds }
}

// WithRegion makes the server accept only requests signed for region, as a
// regional endpoint of the service does. Without it the server accepts
// requests signed for any region, as local AWS emulators do, so that code
// configured for its own region needs only the endpoint changed;
// WithRegion("") keeps that.
func WithRegion(region string) Option {
	return func(c *config) { c.region = region }
}

// WithClock gives the server the time source it checks request dates and
// token expiry against, so that a test can move time without sleeping. The
// Date header of every response comes from it too, which lets a client
// correct its clock skew as it does against AWS.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.now, c.clockSet = now, true }
}

// WithAccessTokenLifetime sets how long issued access tokens stay valid; the
// token responses' expiresIn is its whole seconds.
func WithAccessTokenLifetime(d time.Duration) Option {
	return func(c *config) { c.lifetime = d }
}

// WithCodeLifetime sets how long an authorization code stays valid after it
// is issued, by the server's clock, and how long a consent page of the
// authorize endpoint can be answered (DefaultCodeLifetime otherwise).
func WithCodeLifetime(d time.Duration) Option {
	return func(c *config) { c.codeLifetime = d }
}

// WithAutoApprove makes the authorize endpoint (AuthorizeURL) allow every
// valid request at once: GET /oauth redirects with a code as the page's
// Allow link would, so a test or a headless client needs no click.
func WithAutoApprove() Option {
	return func(c *config) { c.autoApprove = true }
}

// WithRedirectURIs sets the redirect URIs the authorize endpoint may
// redirect to: exactly these strings, compared byte for byte, and no other.
// Without it, any http or https URI on a loopback host (127.0.0.0/8, ::1,
// localhost) is allowed, on any port and path.
func WithRedirectURIs(uris ...string) Option {
	return func(c *config) { c.redirectURIs = append([]string{}, uris...) }
}

// WithListener makes the server serve on l, for example a listener on a fixed
// address, instead of a new listener on 127.0.0.1 with a free port. The
// server closes l when it is closed.
func WithListener(l net.Listener) Option {
	return func(c *config) { c.listener = l }
}

// NewServer starts a server on 127.0.0.1 with a free port. Close it when done.
// Like httptest.NewServer, it panics if it cannot listen.
func NewServer(opts ...Option) *Server {
	cfg := config{
		credentials: aws.Credentials{AccessKeyID: defaultAccessKeyID, SecretAccessKey: defaultSecretAccessKey},
		now:         time.Now,
		lifetime:    DefaultAccessTokenLifetime,

		codeLifetime: DefaultCodeLifetime,

		timeouts: Timeouts{
			ReadHeader: DefaultReadHeaderTimeout,
			Read:       DefaultReadTimeout,
			Write:      DefaultWriteTimeout,
			Idle:       DefaultIdleTimeout,
		},
		maxHeaderBytes:   DefaultMaxHeaderBytes,
		recordedRequests: DefaultRecordedRequests,
		recordedBytes:    DefaultRecordedBytes,
	}
	for _, opt := range opts {
		opt(&cfg)
	}

	s := &Server{
		config:   cfg,
		closing:  make(chan struct{}),
		codes:    newLedger[issuedCode](maxOutstandingCodes),
		consents: newLedger[authorizeRequest](maxOutstandingCodes),
		access:   newLedger[struct{}](maxOutstandingTokens),
		refresh:  map[string]bool{},
		requests: newRequestRecord(cfg.recordedRequests, cfg.recordedBytes),
	}
	if cfg.listener != nil {
		s.http = &httptest.Server{Listener: cfg.listener, Config: &http.Server{Handler: s}}
	} else {
		s.http = httptest.NewUnstartedServer(s)
	}
	s.http.Config.ReadHeaderTimeout = cfg.timeouts.ReadHeader
	s.http.Config.ReadTimeout = cfg.timeouts.Read
	s.http.Config.WriteTimeout = cfg.timeouts.Write
	s.http.Config.IdleTimeout = cfg.timeouts.Idle
	s.http.Config.MaxHeaderBytes = cfg.maxHeaderBytes
	s.http.Start()
	s.URL = s.http.URL
	return s
}

// Close stops the server: delayed responses end at once, and Close returns
// when every request under way has been answered.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closing)
		s.http.Close()
	})
}

// Credentials returns the credentials the server accepts.
func (s *Server) Credentials() aws.Credentials {
	return s.config.credentials
}

// Region returns the region WithRegion pinned, or DefaultRegion on a server
// that accepts every region: the region Client signs for.
func (s *Server) Region() string {
	if s.config.region == "" {
		return DefaultRegion
	}
	return s.config.region
}

// Client returns a new client of the real library pointed at the server:
// its URL as BaseEndpoint, its region and its credentials, then optFns, as
// httptest.Server.Client gives an http.Client for its server. On a server
// with WithClock, the client signs on the server's clock (Signer), so that
// its requests are never refused as skewed however the test moves time.
func (s *Server) Client(optFns ...func(*amplifyuibuilder.Options)) *amplifyuibuilder.Client {
	opts := amplifyuibuilder.Options{
		Region:       s.Region(),
		BaseEndpoint: aws.String(s.URL),
		Credentials:  credentials.StaticCredentialsProvider{Value: s.Credentials()},
	}
	if s.config.clockSet {
		opts.HTTPSignerV4 = Signer(s.config.now)
	}
	return amplifyuibuilder.New(opts, optFns...)
}

// IssueCode registers a new authorization code, as the provider's
// authorization page would hand one out, and returns it. The code can be
// exchanged once, with the same redirectURI, before it expires
// (WithCodeLifetime): the first authenticated, well-formed request that
// presents it spends it, whether that request succeeds or not. The
// authorize endpoint (AuthorizeURL) issues codes the same way.
func (s *Server) IssueCode(redirectURI string) string {
	return s.issueCode(redirectURI, "")
}

// issueCode registers a new code for redirectURI and, when not empty, the
// client id.
func (s *Server) issueCode(redirectURI, clientID string) string {
	code := newSecret("code-")
	s.mu.Lock()
	now := s.now()
	s.codes.add(now, code, issuedCode{redirectURI: redirectURI, clientID: clientID}, now.Add(s.config.codeLifetime))
	s.mu.Unlock()
	return code
}

// AccessTokenValid reports whether token is an access token this server
// issued that has not yet expired by the server's clock. The server
// forgets an access token once it has expired.
func (s *Server) AccessTokenValid(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.access.get(s.now(), token)
	return ok
}

// now returns the server's time.
func (s *Server) now() time.Time {
	return s.config.now()
}
