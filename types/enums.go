package types

// TokenProviders names the third-party service that issued an authorization
// code or a refresh token. The set is open: a value this package does not list
// is sent to the service as it is, so a provider the service adds later works
// without a library update.
type TokenProviders string

// Enum values for TokenProviders.
const (
	// TokenProvidersFigma is Figma, the only provider the service supports today.
	TokenProvidersFigma TokenProviders = "figma"
)

// Values returns every TokenProviders value known to this version of the
// library. The service may accept others.
func (TokenProviders) Values() []TokenProviders {
	return []TokenProviders{
		"figma",
	}
}
