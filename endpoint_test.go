package amplifyuibuilder

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	smithyendpoints "github.com/aws/smithy-go/endpoints"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// Endpoint resolution through the client: where the request goes and what
// region it is signed for. internal/endpointrules tests the rules in depth.

func withFIPS(o *Options) { o.EndpointOptions.UseFIPSEndpoint = aws.FIPSEndpointStateEnabled }
func withDualStack(o *Options) {
	o.EndpointOptions.UseDualStackEndpoint = aws.DualStackEndpointStateEnabled
}

func TestEndpointForEveryPartition(t *testing.T) {
	cases := []struct {
		region                         string
		plain, fips, dual, fipsAndDual string
	}{
		{
			region: "us-east-1",
			plain:  "amplifyuibuilder.us-east-1.amazonaws.com", fips: "amplifyuibuilder-fips.us-east-1.amazonaws.com",
			dual: "amplifyuibuilder.us-east-1.api.aws", fipsAndDual: "amplifyuibuilder-fips.us-east-1.api.aws",
		},
		{
			// Not in the region list: the aws partition's pattern claims it.
			region: "ap-southeast-99",
			plain:  "amplifyuibuilder.ap-southeast-99.amazonaws.com", fips: "amplifyuibuilder-fips.ap-southeast-99.amazonaws.com",
			dual: "amplifyuibuilder.ap-southeast-99.api.aws", fipsAndDual: "amplifyuibuilder-fips.ap-southeast-99.api.aws",
		},
		{
			// No partition claims it: aws.
			region: "mars-central-1",
			plain:  "amplifyuibuilder.mars-central-1.amazonaws.com", fips: "amplifyuibuilder-fips.mars-central-1.amazonaws.com",
			dual: "amplifyuibuilder.mars-central-1.api.aws", fipsAndDual: "amplifyuibuilder-fips.mars-central-1.api.aws",
		},
		{
			region: "cn-north-1",
			plain:  "amplifyuibuilder.cn-north-1.amazonaws.com.cn", fips: "amplifyuibuilder-fips.cn-north-1.amazonaws.com.cn",
			dual: "amplifyuibuilder.cn-north-1.api.amazonwebservices.com.cn", fipsAndDual: "amplifyuibuilder-fips.cn-north-1.api.amazonwebservices.com.cn",
		},
		{
			region: "cn-southwest-7",
			plain:  "amplifyuibuilder.cn-southwest-7.amazonaws.com.cn", fips: "amplifyuibuilder-fips.cn-southwest-7.amazonaws.com.cn",
			dual: "amplifyuibuilder.cn-southwest-7.api.amazonwebservices.com.cn", fipsAndDual: "amplifyuibuilder-fips.cn-southwest-7.api.amazonwebservices.com.cn",
		},
		{
			region: "us-gov-west-1",
			plain:  "amplifyuibuilder.us-gov-west-1.amazonaws.com", fips: "amplifyuibuilder-fips.us-gov-west-1.amazonaws.com",
			dual: "amplifyuibuilder.us-gov-west-1.api.aws", fipsAndDual: "amplifyuibuilder-fips.us-gov-west-1.api.aws",
		},
		{
			region: "us-iso-east-1",
			plain:  "amplifyuibuilder.us-iso-east-1.c2s.ic.gov", fips: "amplifyuibuilder-fips.us-iso-east-1.c2s.ic.gov",
			dual: "amplifyuibuilder.us-iso-east-1.api.aws.ic.gov", fipsAndDual: "amplifyuibuilder-fips.us-iso-east-1.api.aws.ic.gov",
		},
		{
			region: "us-isob-east-1",
			plain:  "amplifyuibuilder.us-isob-east-1.sc2s.sgov.gov", fips: "amplifyuibuilder-fips.us-isob-east-1.sc2s.sgov.gov",
			dual: "amplifyuibuilder.us-isob-east-1.api.aws.scloud", fipsAndDual: "amplifyuibuilder-fips.us-isob-east-1.api.aws.scloud",
		},
		{
			region: "eu-isoe-west-1",
			plain:  "amplifyuibuilder.eu-isoe-west-1.cloud.adc-e.uk", fips: "amplifyuibuilder-fips.eu-isoe-west-1.cloud.adc-e.uk",
			dual: "amplifyuibuilder.eu-isoe-west-1.api.cloud-aws.adc-e.uk", fipsAndDual: "amplifyuibuilder-fips.eu-isoe-west-1.api.cloud-aws.adc-e.uk",
		},
		{
			region: "us-isof-south-1",
			plain:  "amplifyuibuilder.us-isof-south-1.csp.hci.ic.gov", fips: "amplifyuibuilder-fips.us-isof-south-1.csp.hci.ic.gov",
			dual: "amplifyuibuilder.us-isof-south-1.api.aws.hci.ic.gov", fipsAndDual: "amplifyuibuilder-fips.us-isof-south-1.api.aws.hci.ic.gov",
		},
		{
			region: "eusc-de-east-1",
			plain:  "amplifyuibuilder.eusc-de-east-1.amazonaws.eu", fips: "amplifyuibuilder-fips.eusc-de-east-1.amazonaws.eu",
			dual: "amplifyuibuilder.eusc-de-east-1.api.amazonwebservices.eu", fipsAndDual: "amplifyuibuilder-fips.eusc-de-east-1.api.amazonwebservices.eu",
		},
	}
	for _, tc := range cases {
		variants := []struct {
			name   string
			host   string
			optFns []func(*Options)
		}{
			{"plain", tc.plain, nil},
			{"fips", tc.fips, []func(*Options){withFIPS}},
			{"dual-stack", tc.dual, []func(*Options){withDualStack}},
			{"fips and dual-stack", tc.fipsAndDual, []func(*Options){withFIPS, withDualStack}},
		}
		for _, v := range variants {
			t.Run(tc.region+"/"+v.name, func(t *testing.T) {
				c, fake := newFakeNetworkClient(tc.region, v.optFns...)
				_, err := exchange(t, c, exchangeInput())
				require.NoError(t, err)
				req := fake.only(t)
				assert.Equal(t, "https://"+v.host+"/tokens/figma", req.URL.String())
				assert.Equal(t, tc.region, parseAuthorization(t, req.Header.Get("Authorization")).Region)
			})
		}
	}
}

// A FIPS pseudo-region means its region with FIPS on: the request goes to the
// region's FIPS endpoint and is signed for the region itself, as the service
// knows no region named "fips-us-east-1".
func TestFIPSPseudoRegions(t *testing.T) {
	cases := []struct {
		region, host, signingRegion string
		dualStack                   bool
	}{
		{region: "fips-us-east-1", host: "amplifyuibuilder-fips.us-east-1.amazonaws.com", signingRegion: "us-east-1"},
		{region: "us-east-1-fips", host: "amplifyuibuilder-fips.us-east-1.amazonaws.com", signingRegion: "us-east-1"},
		{region: "us-gov-fips-west-1", host: "amplifyuibuilder-fips.us-gov-west-1.amazonaws.com", signingRegion: "us-gov-west-1"},
		{region: "fips-cn-north-1", host: "amplifyuibuilder-fips.cn-north-1.amazonaws.com.cn", signingRegion: "cn-north-1"},
		{region: "fips-us-east-1", host: "amplifyuibuilder-fips.us-east-1.api.aws", signingRegion: "us-east-1", dualStack: true},
	}
	for _, tc := range cases {
		t.Run(tc.region, func(t *testing.T) {
			c, fake := newFakeNetworkClient(tc.region, func(o *Options) {
				if tc.dualStack {
					withDualStack(o)
				}
			})
			_, err := exchange(t, c, exchangeInput())
			require.NoError(t, err)
			req := fake.only(t)
			assert.Equal(t, tc.host, req.URL.Host)
			assert.Equal(t, tc.signingRegion, parseAuthorization(t, req.Header.Get("Authorization")).Region)
		})
	}
}

func TestEndpointErrors(t *testing.T) {
	base := func(o *Options) { o.BaseEndpoint = aws.String("https://proxy.example.com") }
	cases := []struct {
		name    string
		region  string
		optFns  []func(*Options)
		message string
	}{
		{
			name: "FIPS with a custom endpoint", region: "us-east-1", optFns: []func(*Options){base, withFIPS},
			message: "endpoint rule error, Invalid Configuration: FIPS and custom endpoint are not supported",
		},
		{
			name: "FIPS pseudo-region with a custom endpoint", region: "fips-us-east-1", optFns: []func(*Options){base},
			message: "endpoint rule error, Invalid Configuration: FIPS and custom endpoint are not supported",
		},
		{
			name: "dual-stack with a custom endpoint", region: "us-east-1", optFns: []func(*Options){base, withDualStack},
			message: "endpoint rule error, Invalid Configuration: Dualstack and custom endpoint are not supported",
		},
		{
			name: "FIPS is checked before dual-stack", region: "us-east-1", optFns: []func(*Options){base, withDualStack, withFIPS},
			message: "endpoint rule error, Invalid Configuration: FIPS and custom endpoint are not supported",
		},
		{
			name: "no region", region: "",
			message: "endpoint rule error, Invalid Configuration: Missing Region",
		},
		{
			name: "a region that is not a host name", region: "us-east-1/../evil",
			message: "invalid input region us-east-1/../evil",
		},
		{
			name: "a region with a space", region: "us east 1",
			message: "invalid input region us east 1",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, fake := newFakeNetworkClient(tc.region, tc.optFns...)
			_, err := exchange(t, c, exchangeInput())
			requireOperationError(t, err, "ExchangeCodeForToken")
			assert.Contains(t, err.Error(), tc.message)
			assert.Empty(t, fake.all(), "nothing is sent")

			// The same error when the options come with the call.
			c, fake = newFakeNetworkClient("us-west-2")
			_, err = exchange(t, c, exchangeInput(), append([]func(*Options){func(o *Options) { o.Region = tc.region }}, tc.optFns...)...)
			requireOperationError(t, err, "ExchangeCodeForToken")
			assert.Contains(t, err.Error(), tc.message)
			assert.Empty(t, fake.all(), "nothing is sent")
		})
	}
}

func TestBaseEndpointNeedsNoRegion(t *testing.T) {
	c, fake := newFakeNetworkClient("", func(o *Options) { o.BaseEndpoint = aws.String("https://proxy.example.com") })
	_, err := exchange(t, c, exchangeInput())
	require.NoError(t, err)
	assert.Equal(t, "https://proxy.example.com/tokens/figma", fake.only(t).URL.String())
}

func TestDisableHTTPS(t *testing.T) {
	c, fake := newFakeNetworkClient("eu-west-1", func(o *Options) { o.EndpointOptions.DisableHTTPS = true })
	_, err := exchange(t, c, exchangeInput())
	require.NoError(t, err)
	assert.Equal(t, "http://amplifyuibuilder.eu-west-1.amazonaws.com/tokens/figma", fake.only(t).URL.String())
}

func TestBaseEndpointWithPathPrefix(t *testing.T) {
	cases := []struct {
		name, suffix string
		provider     string
		wantURI      string
	}{
		{name: "prefix", suffix: "/prefix", provider: "figma", wantURI: "/prefix/tokens/figma"},
		{name: "prefix with a trailing slash", suffix: "/prefix/", provider: "figma", wantURI: "/prefix/tokens/figma"},
		{name: "escaped prefix and label", suffix: "/a%20b/c", provider: "x/y z", wantURI: "/a%20b/c/tokens/x%2Fy%20z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, rec := setup(t, okTokens)
			c = New(c.Options(), func(o *Options) { o.BaseEndpoint = aws.String(aws.ToString(o.BaseEndpoint) + tc.suffix) })
			in := exchangeInput()
			in.Provider = types.TokenProviders(tc.provider)
			_, err := exchange(t, c, in)
			require.NoError(t, err)
			require.Len(t, rec.all(), 1)
			assert.Equal(t, tc.wantURI, rec.all()[0].RequestURI)
			assert.Equal(t, resign(t, rec.all()[0], testRegion), rec.all()[0].Header.Get("Authorization"))
		})
	}
}

// recordingResolver is a custom EndpointResolverV2 that records its
// parameters and answers a fixed endpoint.
type recordingResolver struct {
	mu       sync.Mutex
	params   []EndpointParameters
	endpoint smithyendpoints.Endpoint
	err      error
}

func (r *recordingResolver) ResolveEndpoint(_ context.Context, p EndpointParameters) (smithyendpoints.Endpoint, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.params = append(r.params, p)
	return r.endpoint, r.err
}

func TestCustomEndpointResolverV2(t *testing.T) {
	uri, err := url.Parse("https://custom.example.com/base")
	require.NoError(t, err)
	resolver := &recordingResolver{endpoint: smithyendpoints.Endpoint{
		URI:     *uri,
		Headers: http.Header{"X-Endpoint-Header": {"from-resolver"}},
	}}

	c, fake := newFakeNetworkClient("fips-us-east-1", withDualStack, WithEndpointResolverV2(resolver))
	_, err = exchange(t, c, exchangeInput())
	require.NoError(t, err)
	req := fake.only(t)
	assert.Equal(t, "https://custom.example.com/base/tokens/figma", req.URL.String())
	assert.Equal(t, "from-resolver", req.Header.Get("X-Endpoint-Header"))
	assert.Equal(t, "us-east-1", parseAuthorization(t, req.Header.Get("Authorization")).Region)

	require.Len(t, resolver.params, 1)
	p := resolver.params[0]
	assert.Equal(t, "us-east-1", aws.ToString(p.Region), "the pseudo-region is mapped")
	assert.True(t, aws.ToBool(p.UseFIPS))
	assert.True(t, aws.ToBool(p.UseDualStack))
	assert.Nil(t, p.Endpoint)

	t.Run("its error fails the call", func(t *testing.T) {
		failing := &recordingResolver{err: assert.AnError}
		c, fake := newFakeNetworkClient("us-east-1", WithEndpointResolverV2(failing))
		_, err := exchange(t, c, exchangeInput())
		requireOperationError(t, err, "ExchangeCodeForToken")
		assert.ErrorIs(t, err, assert.AnError)
		assert.Empty(t, fake.all())
	})

	t.Run("it receives BaseEndpoint", func(t *testing.T) {
		r := &recordingResolver{endpoint: resolver.endpoint}
		c, _ := newFakeNetworkClient("us-east-1", WithEndpointResolverV2(r), func(o *Options) {
			o.BaseEndpoint = aws.String("https://base.example.com")
		})
		_, err := exchange(t, c, exchangeInput())
		require.NoError(t, err)
		require.Len(t, r.params, 1)
		assert.Equal(t, "https://base.example.com", aws.ToString(r.params[0].Endpoint))
		assert.Equal(t, "us-east-1", aws.ToString(r.params[0].Region))
		assert.False(t, aws.ToBool(r.params[0].UseFIPS))
	})
}

func TestLegacyEndpointResolver(t *testing.T) {
	t.Run("its endpoint and signing region win", func(t *testing.T) {
		var gotRegion string
		var gotOptions EndpointResolverOptions
		legacy := EndpointResolverFunc(func(region string, options EndpointResolverOptions) (aws.Endpoint, error) {
			gotRegion, gotOptions = region, options
			return aws.Endpoint{URL: "https://legacy.example.com", SigningRegion: "eu-central-1"}, nil
		})
		c, fake := newFakeNetworkClient("us-west-2", WithEndpointResolver(legacy), withDualStack)
		_, err := exchange(t, c, exchangeInput())
		require.NoError(t, err)
		req := fake.only(t)
		assert.Equal(t, "https://legacy.example.com/tokens/figma", req.URL.String())
		assert.Equal(t, "eu-central-1", parseAuthorization(t, req.Header.Get("Authorization")).Region)
		assert.Equal(t, "us-west-2", gotRegion)
		assert.Equal(t, aws.DualStackEndpointStateEnabled, gotOptions.UseDualStackEndpoint)
	})

	t.Run("EndpointNotFoundError falls back to the rules", func(t *testing.T) {
		legacy := EndpointResolverFunc(func(string, EndpointResolverOptions) (aws.Endpoint, error) {
			return aws.Endpoint{}, &aws.EndpointNotFoundError{Err: assert.AnError}
		})
		c, fake := newFakeNetworkClient("us-west-2", WithEndpointResolver(legacy))
		_, err := exchange(t, c, exchangeInput())
		require.NoError(t, err)
		req := fake.only(t)
		assert.Equal(t, "https://amplifyuibuilder.us-west-2.amazonaws.com/tokens/figma", req.URL.String())
		assert.Equal(t, "us-west-2", parseAuthorization(t, req.Header.Get("Authorization")).Region)
	})

	t.Run("any other error fails the call", func(t *testing.T) {
		legacy := EndpointResolverFunc(func(string, EndpointResolverOptions) (aws.Endpoint, error) {
			return aws.Endpoint{}, assert.AnError
		})
		c, fake := newFakeNetworkClient("us-west-2", WithEndpointResolver(legacy))
		_, err := exchange(t, c, exchangeInput())
		requireOperationError(t, err, "ExchangeCodeForToken")
		assert.ErrorIs(t, err, assert.AnError)
		assert.Empty(t, fake.all())
	})

	t.Run("EndpointResolverFromURL with DisableHTTPS keeps its scheme", func(t *testing.T) {
		c, fake := newFakeNetworkClient("us-west-2",
			WithEndpointResolver(EndpointResolverFromURL("https://fixed.example.com", func(e *aws.Endpoint) {
				e.HostnameImmutable = true
			})),
			func(o *Options) { o.EndpointOptions.DisableHTTPS = true })
		_, err := exchange(t, c, exchangeInput())
		require.NoError(t, err)
		assert.Equal(t, "https://fixed.example.com/tokens/figma", fake.only(t).URL.String())
	})
}

func TestPerCallRegionAndEndpoint(t *testing.T) {
	c, fake := newFakeNetworkClient("us-west-2")
	_, err := exchange(t, c, exchangeInput(), func(o *Options) { o.Region = "eu-west-1" })
	require.NoError(t, err)
	_, err = exchange(t, c, exchangeInput(), func(o *Options) { o.BaseEndpoint = aws.String("https://per-call.example.com") })
	require.NoError(t, err)
	_, err = exchange(t, c, exchangeInput())
	require.NoError(t, err)

	reqs := fake.all()
	require.Len(t, reqs, 3)
	assert.Equal(t, "amplifyuibuilder.eu-west-1.amazonaws.com", reqs[0].URL.Host)
	assert.Equal(t, "eu-west-1", parseAuthorization(t, reqs[0].Header.Get("Authorization")).Region)
	assert.Equal(t, "per-call.example.com", reqs[1].URL.Host)
	assert.Equal(t, "amplifyuibuilder.us-west-2.amazonaws.com", reqs[2].URL.Host)
	assert.Equal(t, "us-west-2", parseAuthorization(t, reqs[2].Header.Get("Authorization")).Region)
	assert.Equal(t, "us-west-2", c.Options().Region)
	assert.Nil(t, c.Options().BaseEndpoint)
}
