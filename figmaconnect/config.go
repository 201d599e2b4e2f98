package figmaconnect

import (
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/tokensource"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// Defaults of a Config.
const (
	// DefaultAuthorizeURL is Figma's authorize page.
	DefaultAuthorizeURL = "https://www.figma.com/oauth"

	// DefaultStateLifetime is how long a user has, from the start handler,
	// to come back to the callback.
	DefaultStateLifetime = 10 * time.Minute

	// MinKeyLength is the shortest Config.Key New accepts, in bytes.
	MinKeyLength = 32
)

// Config says how a Flow runs. Client, ClientID, RedirectURL, Scope and
// OnConnect are required; the zero value of every other field works.
type Config struct {
	// Client exchanges the code (ExchangeCodeForToken) and then refreshes
	// the access token, through the Source handed to OnConnect:
	// *amplifyuibuilder.Client, or a mock with both operations.
	Client tokensource.Client

	// Provider is the token provider; TokenProvidersFigma if empty.
	Provider types.TokenProviders

	// ClientID is the app's OAuth client id: the authorize URL's
	// client_id, and the clientId of the exchange and of every refresh.
	ClientID string

	// RedirectURL is the absolute URL the callback handler is served at,
	// registered with Figma: the authorize URL's redirect_uri, and the
	// redirectUri of the exchange. On https the state cookie is Secure.
	RedirectURL string

	// Scope is the authorize URL's scope, as Figma spells it (for example
	// "file_read").
	Scope string

	// AuthorizeURL is the authorize page users are sent to;
	// DefaultAuthorizeURL if empty. A local stand-in
	// (amplifyuibuildertest.Server.AuthorizeURL) goes here in tests.
	AuthorizeURL string

	// Key signs the state cookie: at least MinKeyLength secret bytes, the
	// same on every instance that may take a callback. If nil, New makes a
	// random key, which only the Flow it builds knows: a callback must then
	// come back to the same process.
	Key []byte

	// StateLifetime is how long a state stays valid; DefaultStateLifetime
	// if zero or less.
	StateLifetime time.Duration

	// DoneURL is where a successful callback redirects, a path on the same
	// site such as "/settings/figma"; "/" if empty.
	DoneURL string

	// StartURL is the path the start handler is served at, for the "start
	// again" link of a refused callback; "/" if empty.
	StartURL string

	// OnConnect receives each connection the callback made. It may set
	// headers (a session cookie) on w; if it writes nothing, the callback
	// then redirects to DoneURL, and if it writes a response, that is the
	// answer. An error gives a 500 page.
	OnConnect func(w http.ResponseWriter, r *http.Request, c *Connection) error

	// OnDenied, if set, answers a callback whose state is valid and whose
	// user declined the authorization (error=access_denied). If nil, the
	// callback answers 400 with a link to start again.
	OnDenied func(w http.ResponseWriter, r *http.Request)

	// ReplayGuard remembers used states; a bounded store in this process's
	// memory if nil.
	ReplayGuard ReplayGuard

	// TokenOptions configure the Source handed to OnConnect, after the
	// client id (tokensource.WithTokenHook, to store each new token).
	TokenOptions []tokensource.Option

	// Logger gets one line for each refused or failed callback, with no
	// code, token or state in it; slog.Default() if nil.
	Logger *slog.Logger

	// Now is the clock states expire on and the exchange's expiresIn is
	// counted from; time.Now if nil.
	Now func() time.Time
}

// Connection is what a successful callback hands to Config.OnConnect.
type Connection struct {
	// Output is the exchange's answer: the access token, its lifetime and
	// the refresh token. It prints redacted.
	Output *amplifyuibuilder.ExchangeCodeForTokenOutput
	// Source is seeded with Output's tokens: it returns the access token
	// without a request until it is due for renewal, then refreshes.
	// Source.Tokens() reads what to store.
	Source *tokensource.Source
}

// Flow runs the connect flow that its Config describes. Its handlers are
// safe for concurrent use.
type Flow struct {
	cfg        Config
	authorize  *url.URL
	secure     bool   // the redirect URL is https
	cookieName string // with the __Host- prefix when secure
	guard      ReplayGuard
	log        *slog.Logger
}

// New checks cfg and returns the Flow it describes.
func New(cfg Config) (*Flow, error) {
	if cfg.Client == nil {
		return nil, errors.New("figmaconnect: Config.Client is required")
	}
	if cfg.ClientID == "" {
		return nil, errors.New("figmaconnect: Config.ClientID is required")
	}
	if cfg.Scope == "" {
		return nil, errors.New("figmaconnect: Config.Scope is required")
	}
	if cfg.OnConnect == nil {
		return nil, errors.New("figmaconnect: Config.OnConnect is required: without it the tokens would be lost")
	}
	redirect, err := absoluteURL("RedirectURL", cfg.RedirectURL)
	if err != nil {
		return nil, err
	}
	if cfg.AuthorizeURL == "" {
		cfg.AuthorizeURL = DefaultAuthorizeURL
	}
	authorize, err := absoluteURL("AuthorizeURL", cfg.AuthorizeURL)
	if err != nil {
		return nil, err
	}
	for _, local := range []struct {
		name  string
		value *string
	}{{"DoneURL", &cfg.DoneURL}, {"StartURL", &cfg.StartURL}} {
		if *local.value == "" {
			*local.value = "/"
		}
		if !isLocalPath(*local.value) {
			return nil, fmt.Errorf("figmaconnect: Config.%s must be a path on this site, such as /done, not %q", local.name, *local.value)
		}
	}
	switch {
	case cfg.Key == nil:
		cfg.Key = make([]byte, MinKeyLength)
		_, _ = rand.Read(cfg.Key) // never fails (crypto/rand)
	case len(cfg.Key) < MinKeyLength:
		return nil, fmt.Errorf("figmaconnect: Config.Key must be at least %d bytes, not %d", MinKeyLength, len(cfg.Key))
	default:
		cfg.Key = append([]byte(nil), cfg.Key...)
	}
	if cfg.Provider == "" {
		cfg.Provider = types.TokenProvidersFigma
	}
	if cfg.StateLifetime <= 0 {
		cfg.StateLifetime = DefaultStateLifetime
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	f := &Flow{cfg: cfg, authorize: authorize, secure: redirect.Scheme == "https", guard: cfg.ReplayGuard, log: cfg.Logger}
	f.cookieName = stateCookieName
	if f.secure {
		f.cookieName = "__Host-" + stateCookieName
	}
	if f.guard == nil {
		f.guard = newMemoryGuard(defaultGuardSize, cfg.Now)
	}
	if f.log == nil {
		f.log = slog.Default()
	}
	return f, nil
}

// absoluteURL parses the http or https URL of Config field name.
func absoluteURL(name, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Fragment != "" {
		return nil, fmt.Errorf("figmaconnect: Config.%s must be an absolute http or https URL without user info or fragment, not %q", name, raw)
	}
	return u, nil
}

// isLocalPath reports whether p is a path on the same site that a browser
// cannot read as another host: it starts with one slash, and no backslash or
// control character can turn it into "//host".
func isLocalPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\t\r\n") {
		return false
	}
	u, err := url.Parse(p)
	return err == nil && u.Scheme == "" && u.Host == "" && u.User == nil
}
