package figmaconnect_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/uibuilder-go/amplifyuibuilder/figmaconnect"
)

// TestConfigAndFlowPrintRedacted: a Config or a Flow printed with any verb,
// by value, by pointer or inside a struct, shows neither the client id nor
// the key that signs state cookies (in any form fmt gives bytes), and still
// shows where the flow redirects.
func TestConfigAndFlowPrintRedacted(t *testing.T) {
	key := []byte("state-signing-key-0123456789-abcdef")
	var cfg figmaconnect.Config
	a := newApp(t, func(c *figmaconnect.Config) { c.Key = key; cfg = *c })
	secrets := []string{clientID, string(key), fmt.Sprint(key), fmt.Sprintf("%x", key), fmt.Sprintf("%#v", key)}

	for _, value := range []any{cfg, &cfg, a.flow, struct{ F *figmaconnect.Flow }{a.flow}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			out := fmt.Sprintf(verb, value)
			for _, secret := range secrets {
				assert.NotContains(t, out, secret, "%s of %T", verb, value)
			}
		}
		assert.Contains(t, fmt.Sprintf("%v", value), "ClientID:[REDACTED]", "%T", value)
		assert.Contains(t, fmt.Sprintf("%v", value), "Key:[REDACTED]", "%T", value)
		assert.Contains(t, fmt.Sprintf("%v", value), a.web.URL+"/callback", "%T", value)
	}
}
