package figmaconnect

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"net/http"
	"time"
)

// stateCookieName is the state cookie's name, behind the __Host- prefix on
// https.
const stateCookieName = "figmaconnect-state"

// stateBytes is how much randomness a state carries.
const stateBytes = 32

// macContext opens every signed cookie payload, so that the key signs
// nothing else by accident.
const macContext = "figmaconnect state cookie v1\x00"

// Why a callback's state is refused. The messages go into pages and log
// lines: they quote nothing from the request.
var (
	errNoState       = errors.New("the callback carries no state")
	errNoCookie      = errors.New("this browser has no connection in progress: it was never started here, it was already used, or it expired")
	errForgedCookie  = errors.New("the state cookie is not one this site signed")
	errStateMismatch = errors.New("the state does not match the one this browser was given")
	errStateExpired  = errors.New("the state has expired")
	errStateReused   = errors.New("the state was already used")
)

// state is what the state cookie carries: the state sent to the authorize
// page, and when it expires.
type state struct {
	value   string // base64url of stateBytes random bytes
	expires time.Time
}

// newState returns a fresh state from crypto/rand that expires after the
// configured lifetime.
func (f *Flow) newState() state {
	b := make([]byte, stateBytes)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return state{
		value:   base64.RawURLEncoding.EncodeToString(b),
		expires: f.cfg.Now().Add(f.cfg.StateLifetime).Truncate(time.Second),
	}
}

// cookie returns the cookie that binds st to the browser: the expiry and
// the state, then an HMAC-SHA256 of both under the key.
func (f *Flow) cookie(st state) *http.Cookie {
	payload := binary.BigEndian.AppendUint64(nil, uint64(st.expires.Unix()))
	payload = append(payload, st.value...)
	value := base64.RawURLEncoding.EncodeToString(append(payload, f.mac(payload)...))
	c := f.baseCookie()
	c.Value = value
	c.MaxAge = int(f.cfg.StateLifetime / time.Second)
	c.Expires = st.expires
	return c
}

// clearCookie returns the cookie that removes the state cookie.
func (f *Flow) clearCookie() *http.Cookie {
	c := f.baseCookie()
	c.MaxAge = -1
	return c
}

func (f *Flow) baseCookie() *http.Cookie {
	return &http.Cookie{
		Name:     f.cookieName,
		Path:     "/",
		HttpOnly: true,
		Secure:   f.secure,
		SameSite: http.SameSiteLaxMode,
	}
}

// mac signs payload for this flow's redirect URL, so that a cookie of
// another flow with the same key does not pass.
func (f *Flow) mac(payload []byte) []byte {
	m := hmac.New(sha256.New, f.cfg.Key)
	m.Write([]byte(macContext))
	m.Write([]byte(f.cfg.RedirectURL))
	m.Write([]byte{0})
	m.Write(payload)
	return m.Sum(nil)
}

// checkState returns the state of r's cookie if it is one this flow signed,
// equal to got (the state Figma sent back) and not expired. For a cookie
// that is the flow's and matches but has expired, it returns the state with
// errStateExpired, and the caller clears the cookie.
func (f *Flow) checkState(r *http.Request, got string) (st state, err error) {
	if got == "" {
		return state{}, errNoState
	}
	c, err := r.Cookie(f.cookieName)
	if err != nil || c.Value == "" {
		return state{}, errNoCookie
	}
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || len(raw) < 8+sha256.Size {
		return state{}, errForgedCookie
	}
	payload, sum := raw[:len(raw)-sha256.Size], raw[len(raw)-sha256.Size:]
	if !hmac.Equal(sum, f.mac(payload)) {
		return state{}, errForgedCookie
	}
	st = state{
		expires: time.Unix(int64(binary.BigEndian.Uint64(payload[:8])), 0),
		value:   string(payload[8:]),
	}
	if subtle.ConstantTimeCompare([]byte(st.value), []byte(got)) != 1 {
		return state{}, errStateMismatch
	}
	if !f.cfg.Now().Before(st.expires) {
		return st, errStateExpired
	}
	return st, nil
}
