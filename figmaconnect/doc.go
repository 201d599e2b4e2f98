// Package figmaconnect runs the "connect Figma" OAuth flow of a web app over
// the Amplify UI Builder token broker: it sends the user to Figma's authorize
// page with a state bound to their browser, takes the redirect back, checks
// the state, exchanges the code with ExchangeCodeForToken for the same
// redirect URI, and hands the app the result and a tokensource.Source that
// keeps the access token fresh.
//
//	flow, err := figmaconnect.New(figmaconnect.Config{
//		Client:      client, // *amplifyuibuilder.Client
//		ClientID:    figmaClientID,
//		RedirectURL: "https://app.example/figma/callback",
//		Scope:       "file_read",
//		Key:         stateKey, // 32+ secret bytes, the same on every instance
//		OnConnect: func(w http.ResponseWriter, r *http.Request, c *figmaconnect.Connection) error {
//			return sessions.Save(r, c.Source.Tokens()) // the app's own session store
//		},
//	})
//	mux.Handle("GET /figma/connect", flow.StartHandler())
//	mux.Handle("GET /figma/callback", flow.CallbackHandler())
//
// # State
//
// The start handler makes a state of 32 bytes from crypto/rand and sets it,
// with its expiry (10 minutes by default), in a cookie signed with HMAC-SHA256
// under Config.Key: HttpOnly, SameSite=Lax, Path=/, and on an https redirect
// URL Secure with the __Host- name prefix, so that a sibling subdomain cannot
// plant one. The callback accepts a state only if the browser presents the
// cookie, its signature verifies, it has not expired, and it is equal, in
// constant time, to the state Figma sent back. Nothing is kept in server
// memory to verify it, so any instance behind a load balancer that shares the
// key can take the callback.
//
// A state is single-use. The callback clears the cookie as soon as it
// accepts the state, so the browser cannot present it again anywhere, and
// records the state in a ReplayGuard until it expires, so that a copied
// cookie and URL are refused too. The default guard is in the process's
// memory (bounded; the oldest entries go first when it is full): across
// instances, single use then rests on the cleared cookie and on the code
// itself, which the service accepts once. Give Config.ReplayGuard a shared
// store for a strict guarantee.
//
// # Answers
//
// A refused callback sends no exchange. The callback answers:
//   - a missing, unknown, forged, reused or expired state: 400;
//   - error=access_denied (the user said no): Config.OnDenied, or 400;
//     another error from Figma: 400, or 502 for server_error and
//     temporarily_unavailable;
//   - no code, two, or one longer than any Figma sends: 400;
//   - the service's InvalidParameterException (a spent, expired or wrong
//     code): 400, with a link to start again;
//   - any other failure of the exchange: 502;
//   - success: Config.OnConnect, then 303 See Other to Config.DoneURL, a
//     clean URL.
//
// Every page and redirect carries Referrer-Policy: no-referrer and
// Cache-Control: no-store. No page, Location or log line contains the code
// or a token; the callback never redirects anywhere but Config.DoneURL,
// which must be a path on the same site, and takes no destination from the
// request.
package figmaconnect
