package amplifyuibuilder

import (
	"fmt"

	"github.com/aws/smithy-go/ptr"

	"github.com/uibuilder-go/amplifyuibuilder/internal/httpbind"
	"github.com/uibuilder-go/amplifyuibuilder/internal/jsonwire"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// tokensPath returns the path /tokens/{provider}{suffix}, unescaped and with
// the provider label escaped. An empty label is an error: it would send the
// request to /tokens/, another resource.
func tokensPath(provider types.TokenProviders, suffix string) (path, rawPath string, err error) {
	if provider == "" {
		return "", "", fmt.Errorf("input member Provider must not be empty")
	}
	label := string(provider)
	path = "/tokens/" + label + suffix
	if escaped := httpbind.EscapeLabel(label); escaped != label {
		return path, "/tokens/" + escaped + suffix, nil
	}
	return path, path, nil
}

// The JSON bodies. Keys are written in name order, as the aws-sdk-go-v2
// client writes them, and nil members are left out.

func serializeExchangeCodeForTokenBody(v *types.ExchangeCodeForTokenRequestBody) []byte {
	w := jsonwire.NewObjectWriter(make([]byte, 0, 64+len(ptr.ToString(v.Code))+len(ptr.ToString(v.RedirectUri))+len(ptr.ToString(v.ClientId))))
	w.String("clientId", v.ClientId)
	w.String("code", v.Code)
	w.String("redirectUri", v.RedirectUri)
	return w.Close()
}

func serializeRefreshTokenBody(v *types.RefreshTokenRequestBody) []byte {
	w := jsonwire.NewObjectWriter(make([]byte, 0, 32+len(ptr.ToString(v.Token))+len(ptr.ToString(v.ClientId))))
	w.String("clientId", v.ClientId)
	w.String("token", v.Token)
	return w.Close()
}
