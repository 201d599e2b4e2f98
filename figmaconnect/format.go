package figmaconnect

import (
	"fmt"

	"github.com/uibuilder-go/amplifyuibuilder/internal/redact"
)

// Format prints cfg with ClientID and Key redacted, for every verb, so that
// a Config logged or printed by mistake shows neither the app's client id
// nor the key that signs state cookies.
func (cfg Config) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "figmaconnect.Config", cfg.fields()...)
}

// Format prints f's configuration as Config.Format does.
func (f *Flow) Format(s fmt.State, verb rune) {
	redact.Format(s, verb, "figmaconnect.Flow", f.cfg.fields()...)
}

// fields lists what a printed Config shows: its URLs, scope and lifetime,
// and only whether the client id and the key are set.
func (cfg Config) fields() []redact.Field {
	secret := func(set bool) *string {
		if !set {
			return nil
		}
		return new(string)
	}
	return []redact.Field{
		{Name: "Provider", Value: cfg.Provider},
		{Name: "ClientID", Value: secret(cfg.ClientID != ""), Secret: true},
		{Name: "RedirectURL", Value: cfg.RedirectURL},
		{Name: "Scope", Value: cfg.Scope},
		{Name: "AuthorizeURL", Value: cfg.AuthorizeURL},
		{Name: "Key", Value: secret(cfg.Key != nil), Secret: true},
		{Name: "StateLifetime", Value: cfg.StateLifetime},
		{Name: "DoneURL", Value: cfg.DoneURL},
		{Name: "StartURL", Value: cfg.StartURL},
	}
}
