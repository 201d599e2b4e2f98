package figmaconnect_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/figmaconnect"
)

// countingClient counts the calls a callback makes; it answers none.
type countingClient struct{ calls atomic.Int64 }

func (c *countingClient) ExchangeCodeForToken(context.Context, *amplifyuibuilder.ExchangeCodeForTokenInput, ...func(*amplifyuibuilder.Options)) (*amplifyuibuilder.ExchangeCodeForTokenOutput, error) {
	c.calls.Add(1)
	return &amplifyuibuilder.ExchangeCodeForTokenOutput{}, nil
}

func (c *countingClient) RefreshToken(context.Context, *amplifyuibuilder.RefreshTokenInput, ...func(*amplifyuibuilder.Options)) (*amplifyuibuilder.RefreshTokenOutput, error) {
	c.calls.Add(1)
	return &amplifyuibuilder.RefreshTokenOutput{}, nil
}

// FuzzCallback: whatever query and cookie a callback carries, without a
// cookie the flow signed it answers 400 or 405, never panics, never
// redirects, and never calls the service.
func FuzzCallback(f *testing.F) {
	f.Add("code=c-1&state=s-1", "AAAAAGsPPzpzLTE")
	f.Add("state=s-1&error=access_denied", "")
	f.Add("state=%00&state=x&code=", "!!!")
	f.Add("code=a;b&state=\xff", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	client := &countingClient{}
	flow, err := figmaconnect.New(figmaconnect.Config{
		Client: client, ClientID: clientID, Scope: scope, RedirectURL: "http://127.0.0.1/callback",
		OnConnect: func(http.ResponseWriter, *http.Request, *figmaconnect.Connection) error { return nil },
		Logger:    discardLogger(),
	})
	if err != nil {
		f.Fatal(err)
	}
	handler := flow.CallbackHandler()
	f.Fuzz(func(t *testing.T, rawQuery, cookie string) {
		req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1/callback", nil)
		req.URL.RawQuery = rawQuery
		if cookie != "" {
			req.Header.Set("Cookie", "figmaconnect-state="+url.QueryEscape(cookie))
		}
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusBadRequest {
			t.Fatalf("status %d for query %q and cookie %q", rec.Code, rawQuery, cookie)
		}
		if loc := rec.Header().Get("Location"); loc != "" {
			t.Fatalf("redirected to %q", loc)
		}
		if n := client.calls.Load(); n != 0 {
			t.Fatalf("%d calls to the service", n)
		}
	})
}
