package figmaconnect

import (
	"net/http"
)

// AuthorizeURL returns the authorize page's URL for state: Config.AuthorizeURL
// with client_id, redirect_uri, scope, state and response_type=code added to
// its query. The start handler sends users there; call it directly only to
// build a flow of your own around the same parameters.
func (f *Flow) AuthorizeURL(state string) string {
	u := *f.authorize
	q := u.Query()
	q.Set("client_id", f.cfg.ClientID)
	q.Set("redirect_uri", f.cfg.RedirectURL)
	q.Set("scope", f.cfg.Scope)
	q.Set("state", state)
	q.Set("response_type", "code")
	u.RawQuery = q.Encode()
	return u.String()
}

// StartHandler returns the handler that starts a connection, for a "Connect
// Figma" link or button (GET or POST): it makes a new state, sets the state
// cookie, and redirects (302 Found) to the authorize page. A new start
// replaces a connection this browser had in progress.
func (f *Flow) StartHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setPageHeaders(w.Header())
		if r.Method != http.MethodGet && r.Method != http.MethodPost {
			w.Header().Set("Allow", "GET, POST")
			f.page(w, http.StatusMethodNotAllowed, pageMethod)
			return
		}
		st := f.newState()
		http.SetCookie(w, f.cookie(st))
		w.Header().Set("Location", f.AuthorizeURL(st.value))
		w.WriteHeader(http.StatusFound)
	})
}
