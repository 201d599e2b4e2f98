// Package endpointrules resolves the endpoint URL of the AWS Amplify UI
// Builder service (signing name and endpoint prefix "amplifyuibuilder").
//
// It is a hand-written equivalent of the endpoint rule set that
// aws-sdk-go-v2 generates for services of this shape (for example
// service/amp's endpoints.go): a custom endpoint wins, otherwise the URL is
// built from the region's partition, honouring the FIPS and dual-stack
// settings. The client resolves its default endpoint once per client, but a
// resolver of the caller's that delegates to the default one calls Resolve
// on every API call, so it is a plain function over a table built once at
// package initialisation.
package endpointrules

import (
	"errors"
	"net/url"
	"strings"

	"github.com/aws/smithy-go/endpoints/private/rulesfn"
)

// Params are the inputs of the rules. The zero value means "no region, no
// custom endpoint, FIPS and dual-stack off", which Resolve rejects as a
// missing region.
type Params struct {
	// Region is the AWS region, e.g. "us-east-1"; "" means not set. Pass the
	// client's region through BindRegion first: Resolve uses it as given.
	Region string
	// UseFIPS asks for the FIPS endpoint (default false).
	UseFIPS bool
	// UseDualStack asks for the dual-stack (IPv4 and IPv6) endpoint (default
	// false).
	UseDualStack bool
	// Endpoint is a custom endpoint (the client's BaseEndpoint); nil means not
	// set. When set, it is returned verbatim and Region is not consulted.
	Endpoint *string
}

const (
	hostPrefix     = "https://amplifyuibuilder."
	hostPrefixFIPS = "https://amplifyuibuilder-fips."
)

// The rule errors. They carry no per-call data, so they are built once.
var (
	errFIPSCustomEndpoint      = errors.New("endpoint rule error, Invalid Configuration: FIPS and custom endpoint are not supported")
	errDualStackCustomEndpoint = errors.New("endpoint rule error, Invalid Configuration: Dualstack and custom endpoint are not supported")
	errFIPSAndDualStack        = errors.New("endpoint rule error, FIPS and DualStack are enabled, but this partition does not support one or both")
	errFIPS                    = errors.New("endpoint rule error, FIPS is enabled but this partition does not support FIPS")
	errDualStack               = errors.New("endpoint rule error, DualStack is enabled but this partition does not support DualStack")
	errMissingRegion           = errors.New("endpoint rule error, Invalid Configuration: Missing Region")
)

// Resolve applies the service's endpoint rules to p and returns the endpoint
// URL, e.g. "https://amplifyuibuilder.us-east-1.amazonaws.com".
//
// With a custom endpoint (p.Endpoint != nil), UseFIPS or UseDualStack is an
// error (FIPS is checked first); otherwise the endpoint string is returned
// unchanged, whatever the region. Like aws-sdk-go-v2, the custom endpoint is
// only required to be accepted by net/url.Parse (so a value without a scheme
// is passed through); if it is not, the error reads
// "Failed to parse uri: <endpoint>" with any userinfo replaced by "REDACTED".
//
// Without a custom endpoint, the URL is built from p.Region and the DNS
// suffixes of its partition (partitionIndex): "amplifyuibuilder-fips" as
// the host prefix when UseFIPS is set, the dual-stack suffix when
// UseDualStack is set. If the partition lacks a requested variant, or neither
// Endpoint nor Region is set, the error message is
// "endpoint rule error, <message>" with the rule's message.
func Resolve(p Params) (string, error) {
	if p.Endpoint != nil {
		switch {
		case p.UseFIPS:
			return "", errFIPSCustomEndpoint
		case p.UseDualStack:
			return "", errDualStackCustomEndpoint
		}
		if _, err := url.Parse(*p.Endpoint); err != nil {
			// The *url.Error is deliberately dropped: it quotes the raw
			// value, userinfo included.
			return "", errors.New("Failed to parse uri: " + redactUserinfo(*p.Endpoint))
		}
		return *p.Endpoint, nil
	}

	if p.Region == "" {
		return "", errMissingRegion
	}
	part := &partitionTable[partitionIndex(p.Region)].Partition

	switch {
	case p.UseFIPS && p.UseDualStack:
		if !part.SupportsDualStack || !part.SupportsFIPS {
			return "", errFIPSAndDualStack
		}
		return hostPrefixFIPS + p.Region + "." + part.DualStackDNSSuffix, nil
	case p.UseFIPS:
		if !part.SupportsFIPS {
			return "", errFIPS
		}
		return hostPrefixFIPS + p.Region + "." + part.DNSSuffix, nil
	case p.UseDualStack:
		if !part.SupportsDualStack {
			return "", errDualStack
		}
		return hostPrefix + p.Region + "." + part.DualStackDNSSuffix, nil
	default:
		return hostPrefix + p.Region + "." + part.DNSSuffix, nil
	}
}

// redactUserinfo returns s with everything that could be URL userinfo
// ("user:password@") replaced by "REDACTED@", for use in error messages about
// a value url.Parse rejected. Because the value is malformed, it does not
// trust URL structure: everything before the last '@' is hidden, except a
// leading "scheme://".
func redactUserinfo(s string) string {
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return s
	}
	keep := 0 // a scheme has no '@', so a kept "scheme://" ends before s[at]
	if i := strings.Index(s, "://"); i > 0 && isScheme(s[:i]) {
		keep = i + len("://")
	}
	return s[:keep] + "REDACTED@" + s[at+1:]
}

// isScheme reports whether s is a URL scheme per RFC 3986:
// ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
func isScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return s != ""
}

// BindRegion validates and normalises the client's Region before it becomes
// Params.Region, as aws-sdk-go-v2 clients do.
//
// "" yields ("", false, nil): no region. A region that is not a valid host
// name (dot-separated labels of 1 to 63 ASCII letters, digits and '-', none
// starting or ending with '-') yields the error "invalid input region
// <region>". Otherwise the FIPS pseudo-region form is undone the way
// aws-sdk-go-v2's MapFIPSRegion does it: every "-fips-" becomes "-", then every
// "fips-" and every "-fips" is removed (so "fips-us-east-1",
// "us-east-1-fips" and "us-gov-fips-west-1" map to "us-east-1",
// "us-east-1" and "us-gov-west-1"). fips reports whether region held one of
// those markers; callers should then set Params.UseFIPS.
func BindRegion(region string) (mapped string, fips bool, err error) {
	if region == "" {
		return "", false, nil
	}
	if !rulesfn.IsValidHostLabel(region, true) {
		return "", false, errors.New("invalid input region " + region)
	}
	const (
		fipsInfix  = "-fips-"
		fipsPrefix = "fips-"
		fipsSuffix = "-fips"
	)
	if !strings.Contains(region, fipsInfix) &&
		!strings.Contains(region, fipsPrefix) &&
		!strings.Contains(region, fipsSuffix) {
		return region, false, nil
	}
	mapped = strings.ReplaceAll(region, fipsInfix, "-")
	mapped = strings.ReplaceAll(mapped, fipsPrefix, "")
	mapped = strings.ReplaceAll(mapped, fipsSuffix, "")
	return mapped, true, nil
}
