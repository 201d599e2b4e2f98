package figmaconnect_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"

	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
	"github.com/uibuilder-go/amplifyuibuilder/figmaconnect"
	"github.com/uibuilder-go/amplifyuibuilder/tokensource"
)

// A web app connects its user's Figma account. The local endpoint stands in
// for AWS and for Figma's authorize page (which approves at once here); in
// production, Client is an *amplifyuibuilder.Client from NewFromConfig, and
// AuthorizeURL is left empty for Figma's.
func Example() {
	srv := amplifyuibuildertest.NewServer(amplifyuibuildertest.WithAutoApprove())
	defer srv.Close()
	mux := http.NewServeMux()
	app := httptest.NewServer(mux)
	defer app.Close()

	var connected *tokensource.Source // the app keeps it in the user's session
	flow, err := figmaconnect.New(figmaconnect.Config{
		Client:       srv.Client(),
		ClientID:     "figma-client-id",
		RedirectURL:  app.URL + "/figma/callback",
		Scope:        "file_read",
		AuthorizeURL: srv.AuthorizeURL(),
		DoneURL:      "/settings",
		StartURL:     "/figma/connect",
		OnConnect: func(w http.ResponseWriter, r *http.Request, c *figmaconnect.Connection) error {
			connected = c.Source
			return nil
		},
	})
	if err != nil {
		panic(err)
	}
	mux.Handle("GET /figma/connect", flow.StartHandler())
	mux.Handle("GET /figma/callback", flow.CallbackHandler())
	mux.HandleFunc("GET /settings", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "Figma connected")
	})

	// The user's browser: it keeps cookies and follows redirects.
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	resp, err := browser.Get(app.URL + "/figma/connect")
	if err != nil {
		panic(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Print(resp.Request.URL.Path, ": ", string(page))

	token, err := connected.Token(context.Background()) // no request: seeded by the exchange
	if err != nil {
		panic(err)
	}
	fmt.Println("access token valid:", srv.AccessTokenValid(token))
	for _, r := range srv.Requests() {
		fmt.Println(r.Operation, r.Status)
	}
	// Output:
	// /settings: Figma connected
	// access token valid: true
	// Authorize 302
	// ExchangeCodeForToken 200
}
