package endpointrules

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func strPtr(s string) *string { return &s }

const (
	msgFIPSCustom      = "endpoint rule error, Invalid Configuration: FIPS and custom endpoint are not supported"
	msgDualStackCustom = "endpoint rule error, Invalid Configuration: Dualstack and custom endpoint are not supported"
	msgFIPSAndDual     = "endpoint rule error, FIPS and DualStack are enabled, but this partition does not support one or both"
	msgFIPS            = "endpoint rule error, FIPS is enabled but this partition does not support FIPS"
	msgDualStack       = "endpoint rule error, DualStack is enabled but this partition does not support DualStack"
	msgMissingRegion   = "endpoint rule error, Invalid Configuration: Missing Region"
)

// regionURLs lists, for one region, the partition it must land in and the
// four URLs the rules give for it.
type regionURLs struct {
	region, partition           string
	plain, fips, dual, fipsDual string
}

func TestResolveRegionEveryPartition(t *testing.T) {
	cases := []regionURLs{
		// aws
		{"us-east-1", "aws",
			"https://amplifyuibuilder.us-east-1.amazonaws.com",
			"https://amplifyuibuilder-fips.us-east-1.amazonaws.com",
			"https://amplifyuibuilder.us-east-1.api.aws",
			"https://amplifyuibuilder-fips.us-east-1.api.aws"},
		{"eu-east-7", "aws",
			"https://amplifyuibuilder.eu-east-7.amazonaws.com",
			"https://amplifyuibuilder-fips.eu-east-7.amazonaws.com",
			"https://amplifyuibuilder.eu-east-7.api.aws",
			"https://amplifyuibuilder-fips.eu-east-7.api.aws"},
		// aws-cn
		{"cn-north-1", "aws-cn",
			"https://amplifyuibuilder.cn-north-1.amazonaws.com.cn",
			"https://amplifyuibuilder-fips.cn-north-1.amazonaws.com.cn",
			"https://amplifyuibuilder.cn-north-1.api.amazonwebservices.com.cn",
			"https://amplifyuibuilder-fips.cn-north-1.api.amazonwebservices.com.cn"},
		{"cn-south-3", "aws-cn",
			"https://amplifyuibuilder.cn-south-3.amazonaws.com.cn",
			"https://amplifyuibuilder-fips.cn-south-3.amazonaws.com.cn",
			"https://amplifyuibuilder.cn-south-3.api.amazonwebservices.com.cn",
			"https://amplifyuibuilder-fips.cn-south-3.api.amazonwebservices.com.cn"},
		// aws-eusc
		{"eusc-de-east-1", "aws-eusc",
			"https://amplifyuibuilder.eusc-de-east-1.amazonaws.eu",
			"https://amplifyuibuilder-fips.eusc-de-east-1.amazonaws.eu",
			"https://amplifyuibuilder.eusc-de-east-1.api.amazonwebservices.eu",
			"https://amplifyuibuilder-fips.eusc-de-east-1.api.amazonwebservices.eu"},
		{"eusc-de-west-2", "aws-eusc",
			"https://amplifyuibuilder.eusc-de-west-2.amazonaws.eu",
			"https://amplifyuibuilder-fips.eusc-de-west-2.amazonaws.eu",
			"https://amplifyuibuilder.eusc-de-west-2.api.amazonwebservices.eu",
			"https://amplifyuibuilder-fips.eusc-de-west-2.api.amazonwebservices.eu"},
		// aws-iso
		{"us-iso-east-1", "aws-iso",
			"https://amplifyuibuilder.us-iso-east-1.c2s.ic.gov",
			"https://amplifyuibuilder-fips.us-iso-east-1.c2s.ic.gov",
			"https://amplifyuibuilder.us-iso-east-1.api.aws.ic.gov",
			"https://amplifyuibuilder-fips.us-iso-east-1.api.aws.ic.gov"},
		{"us-iso-north-2", "aws-iso",
			"https://amplifyuibuilder.us-iso-north-2.c2s.ic.gov",
			"https://amplifyuibuilder-fips.us-iso-north-2.c2s.ic.gov",
			"https://amplifyuibuilder.us-iso-north-2.api.aws.ic.gov",
			"https://amplifyuibuilder-fips.us-iso-north-2.api.aws.ic.gov"},
		// aws-iso-b
		{"us-isob-east-1", "aws-iso-b",
			"https://amplifyuibuilder.us-isob-east-1.sc2s.sgov.gov",
			"https://amplifyuibuilder-fips.us-isob-east-1.sc2s.sgov.gov",
			"https://amplifyuibuilder.us-isob-east-1.api.aws.scloud",
			"https://amplifyuibuilder-fips.us-isob-east-1.api.aws.scloud"},
		{"us-isob-south-4", "aws-iso-b",
			"https://amplifyuibuilder.us-isob-south-4.sc2s.sgov.gov",
			"https://amplifyuibuilder-fips.us-isob-south-4.sc2s.sgov.gov",
			"https://amplifyuibuilder.us-isob-south-4.api.aws.scloud",
			"https://amplifyuibuilder-fips.us-isob-south-4.api.aws.scloud"},
		// aws-iso-e
		{"eu-isoe-west-1", "aws-iso-e",
			"https://amplifyuibuilder.eu-isoe-west-1.cloud.adc-e.uk",
			"https://amplifyuibuilder-fips.eu-isoe-west-1.cloud.adc-e.uk",
			"https://amplifyuibuilder.eu-isoe-west-1.api.cloud-aws.adc-e.uk",
			"https://amplifyuibuilder-fips.eu-isoe-west-1.api.cloud-aws.adc-e.uk"},
		{"eu-isoe-east-2", "aws-iso-e",
			"https://amplifyuibuilder.eu-isoe-east-2.cloud.adc-e.uk",
			"https://amplifyuibuilder-fips.eu-isoe-east-2.cloud.adc-e.uk",
			"https://amplifyuibuilder.eu-isoe-east-2.api.cloud-aws.adc-e.uk",
			"https://amplifyuibuilder-fips.eu-isoe-east-2.api.cloud-aws.adc-e.uk"},
		// aws-iso-f
		{"us-isof-south-1", "aws-iso-f",
			"https://amplifyuibuilder.us-isof-south-1.csp.hci.ic.gov",
			"https://amplifyuibuilder-fips.us-isof-south-1.csp.hci.ic.gov",
			"https://amplifyuibuilder.us-isof-south-1.api.aws.hci.ic.gov",
			"https://amplifyuibuilder-fips.us-isof-south-1.api.aws.hci.ic.gov"},
		{"us-isof-west-3", "aws-iso-f",
			"https://amplifyuibuilder.us-isof-west-3.csp.hci.ic.gov",
			"https://amplifyuibuilder-fips.us-isof-west-3.csp.hci.ic.gov",
			"https://amplifyuibuilder.us-isof-west-3.api.aws.hci.ic.gov",
			"https://amplifyuibuilder-fips.us-isof-west-3.api.aws.hci.ic.gov"},
		// aws-us-gov
		{"us-gov-west-1", "aws-us-gov",
			"https://amplifyuibuilder.us-gov-west-1.amazonaws.com",
			"https://amplifyuibuilder-fips.us-gov-west-1.amazonaws.com",
			"https://amplifyuibuilder.us-gov-west-1.api.aws",
			"https://amplifyuibuilder-fips.us-gov-west-1.api.aws"},
		{"us-gov-east-9", "aws-us-gov",
			"https://amplifyuibuilder.us-gov-east-9.amazonaws.com",
			"https://amplifyuibuilder-fips.us-gov-east-9.amazonaws.com",
			"https://amplifyuibuilder.us-gov-east-9.api.aws",
			"https://amplifyuibuilder-fips.us-gov-east-9.api.aws"},
		// matches no partition: falls back to aws
		{"mars-1", "aws",
			"https://amplifyuibuilder.mars-1.amazonaws.com",
			"https://amplifyuibuilder-fips.mars-1.amazonaws.com",
			"https://amplifyuibuilder.mars-1.api.aws",
			"https://amplifyuibuilder-fips.mars-1.api.aws"},
	}

	// Every partition in the table must be exercised by an explicit and a
	// regex-only region.
	explicit, byRegex := map[string]bool{}, map[string]bool{}
	for _, tc := range cases {
		if _, ok := explicitRegions[tc.region]; ok {
			explicit[tc.partition] = true
		} else if tc.region != "mars-1" {
			byRegex[tc.partition] = true
		}
	}
	for _, p := range partitionTable {
		assert.True(t, explicit[p.ID], "no explicit-list region for %s", p.ID)
		assert.True(t, byRegex[p.ID], "no regex-only region for %s", p.ID)
	}

	for _, tc := range cases {
		t.Run(tc.region, func(t *testing.T) {
			require.Equal(t, tc.partition, partitionFor(tc.region).ID)
			for _, v := range []struct {
				name       string
				fips, dual bool
				want       string
			}{
				{"plain", false, false, tc.plain},
				{"fips", true, false, tc.fips},
				{"dualstack", false, true, tc.dual},
				{"fips+dualstack", true, true, tc.fipsDual},
			} {
				t.Run(v.name, func(t *testing.T) {
					got, err := Resolve(Params{Region: tc.region, UseFIPS: v.fips, UseDualStack: v.dual})
					require.NoError(t, err)
					assert.Equal(t, v.want, got)
				})
			}
		})
	}
}

// TestResolveUnsupportedVariants covers the rule errors that no partition in
// the current data triggers (they all support FIPS and dual-stack), using a
// substitute table.
func TestResolveUnsupportedVariants(t *testing.T) {
	withPartitions(t, []partitionEntry{
		{Partition: Partition{ID: "full", DNSSuffix: "full.example", DualStackDNSSuffix: "dual.full.example", SupportsFIPS: true, SupportsDualStack: true},
			regionPrefixes: []string{"fu"}},
		{Partition: Partition{ID: "nofips", DNSSuffix: "nofips.example", DualStackDNSSuffix: "dual.nofips.example", SupportsDualStack: true},
			regionPrefixes: []string{"nf"}},
		{Partition: Partition{ID: "nodual", DNSSuffix: "nodual.example", DualStackDNSSuffix: "dual.nodual.example", SupportsFIPS: true},
			regions: []string{"nodual-global"}},
		{Partition: Partition{ID: "neither", DNSSuffix: "neither.example", DualStackDNSSuffix: "dual.neither.example"},
			regionPrefixes: []string{"ne"}},
	})

	type want struct{ url, err string }
	cases := []struct {
		region                      string
		plain, fips, dual, fipsDual want
	}{
		{"nf-east-1",
			want{url: "https://amplifyuibuilder.nf-east-1.nofips.example"},
			want{err: msgFIPS},
			want{url: "https://amplifyuibuilder.nf-east-1.dual.nofips.example"},
			want{err: msgFIPSAndDual}},
		{"nodual-global",
			want{url: "https://amplifyuibuilder.nodual-global.nodual.example"},
			want{url: "https://amplifyuibuilder-fips.nodual-global.nodual.example"},
			want{err: msgDualStack},
			want{err: msgFIPSAndDual}},
		{"ne-west-2",
			want{url: "https://amplifyuibuilder.ne-west-2.neither.example"},
			want{err: msgFIPS},
			want{err: msgDualStack},
			want{err: msgFIPSAndDual}},
		{"fu-west-2", // control: the substitute table is really in use
			want{url: "https://amplifyuibuilder.fu-west-2.full.example"},
			want{url: "https://amplifyuibuilder-fips.fu-west-2.full.example"},
			want{url: "https://amplifyuibuilder.fu-west-2.dual.full.example"},
			want{url: "https://amplifyuibuilder-fips.fu-west-2.dual.full.example"}},
	}
	for _, tc := range cases {
		for _, v := range []struct {
			name       string
			fips, dual bool
			want       want
		}{
			{"plain", false, false, tc.plain},
			{"fips", true, false, tc.fips},
			{"dualstack", false, true, tc.dual},
			{"fips+dualstack", true, true, tc.fipsDual},
		} {
			t.Run(tc.region+"/"+v.name, func(t *testing.T) {
				got, err := Resolve(Params{Region: tc.region, UseFIPS: v.fips, UseDualStack: v.dual})
				if v.want.err != "" {
					require.EqualError(t, err, v.want.err)
					assert.Empty(t, got)
					return
				}
				require.NoError(t, err)
				assert.Equal(t, v.want.url, got)
			})
		}
	}
}

func TestResolveCustomEndpoint(t *testing.T) {
	cases := []struct {
		name     string
		p        Params
		want     string
		wantErr  string
		hideText []string // must not appear in the error
	}{
		{name: "verbatim", p: Params{Region: "us-east-1", Endpoint: strPtr("https://example.com")},
			want: "https://example.com"},
		{name: "with path", p: Params{Region: "us-east-1", Endpoint: strPtr("https://example.com/prefix/v1/")},
			want: "https://example.com/prefix/v1/"},
		{name: "with port", p: Params{Region: "us-east-1", Endpoint: strPtr("https://localhost:8443")},
			want: "https://localhost:8443"},
		{name: "http scheme", p: Params{Region: "us-east-1", Endpoint: strPtr("http://127.0.0.1:4566")},
			want: "http://127.0.0.1:4566"},
		{name: "not normalised", p: Params{Region: "us-east-1", Endpoint: strPtr("HTTPS://Example.COM:443/a%2Fb?x=1#f")},
			want: "HTTPS://Example.COM:443/a%2Fb?x=1#f"},
		{name: "userinfo kept on success", p: Params{Endpoint: strPtr("https://user:pw@example.com")},
			want: "https://user:pw@example.com"},
		{name: "without region", p: Params{Endpoint: strPtr("https://example.com")},
			want: "https://example.com"},
		{name: "region of another partition ignored", p: Params{Region: "cn-north-1", Endpoint: strPtr("https://example.com")},
			want: "https://example.com"},
		{name: "invalid region ignored", p: Params{Region: "not a region", Endpoint: strPtr("https://example.com")},
			want: "https://example.com"},
		// url.Parse accepts these, and so does aws-sdk-go-v2.
		{name: "no scheme passes through", p: Params{Endpoint: strPtr("example.com")},
			want: "example.com"},
		{name: "empty passes through", p: Params{Region: "us-east-1", Endpoint: strPtr("")},
			want: ""},

		{name: "fips", p: Params{Region: "us-east-1", UseFIPS: true, Endpoint: strPtr("https://example.com")},
			wantErr: msgFIPSCustom},
		{name: "fips without region", p: Params{UseFIPS: true, Endpoint: strPtr("https://example.com")},
			wantErr: msgFIPSCustom},
		{name: "dualstack", p: Params{Region: "us-east-1", UseDualStack: true, Endpoint: strPtr("https://example.com")},
			wantErr: msgDualStackCustom},
		{name: "dualstack without region", p: Params{UseDualStack: true, Endpoint: strPtr("https://example.com")},
			wantErr: msgDualStackCustom},
		{name: "fips and dualstack: fips wins", p: Params{Region: "us-east-1", UseFIPS: true, UseDualStack: true, Endpoint: strPtr("https://example.com")},
			wantErr: msgFIPSCustom},
		{name: "fips checked before parsing", p: Params{UseFIPS: true, Endpoint: strPtr("://bad")},
			wantErr: msgFIPSCustom},

		{name: "unparseable: missing scheme", p: Params{Region: "us-east-1", Endpoint: strPtr("://example.com")},
			wantErr: "Failed to parse uri: ://example.com"},
		{name: "unparseable: bad port", p: Params{Endpoint: strPtr("https://example.com:port")},
			wantErr: "Failed to parse uri: https://example.com:port"},
		{name: "unparseable: bad escape", p: Params{Endpoint: strPtr("https://example.com/%zz")},
			wantErr: "Failed to parse uri: https://example.com/%zz"},
		{name: "unparseable: userinfo redacted", p: Params{Endpoint: strPtr("https://admin:s3cret@example.com:port/x")},
			wantErr:  "Failed to parse uri: https://REDACTED@example.com:port/x",
			hideText: []string{"admin", "s3cret"}},
		{name: "unparseable: raw '@' and '/' in password redacted", p: Params{Endpoint: strPtr("https://admin:p/a@ss@example.com/%zz")},
			wantErr:  "Failed to parse uri: https://REDACTED@example.com/%zz",
			hideText: []string{"admin", "p/a", "ss@"}},
		{name: "unparseable: userinfo without scheme redacted", p: Params{Endpoint: strPtr("//admin:s3cret@example.com:port")},
			wantErr:  "Failed to parse uri: REDACTED@example.com:port",
			hideText: []string{"admin", "s3cret"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Resolve(tc.p)
			if tc.wantErr != "" {
				require.EqualError(t, err, tc.wantErr)
				assert.Empty(t, got)
				for _, s := range tc.hideText {
					assert.NotContains(t, err.Error(), s)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestResolveMissingRegion(t *testing.T) {
	for _, p := range []Params{
		{},
		{UseFIPS: true},
		{UseDualStack: true},
		{UseFIPS: true, UseDualStack: true},
	} {
		got, err := Resolve(p)
		require.EqualError(t, err, msgMissingRegion, "%+v", p)
		assert.Empty(t, got)
	}
}

func TestRedactUserinfo(t *testing.T) {
	cases := []struct{ in, want string }{
		{"https://example.com", "https://example.com"},
		{"https://u:p@example.com/x", "https://REDACTED@example.com/x"},
		{"https://u@example.com", "https://REDACTED@example.com"},
		{"https://u:p://q@example.com", "https://REDACTED@example.com"},
		{"u:p://q@example.com", "REDACTED@example.com"},
		{"//u:p@example.com", "REDACTED@example.com"},
		{"@", "REDACTED@"},
		{"https://example.com/a@b", "https://REDACTED@b"}, // over-redacts rather than leak
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, redactUserinfo(tc.in), tc.in)
	}
}

func TestBindRegion(t *testing.T) {
	cases := []struct {
		name     string
		in       string
		want     string
		wantFIPS bool
		wantErr  bool
	}{
		{name: "empty", in: "", want: ""},
		{name: "valid", in: "us-east-1", want: "us-east-1"},
		{name: "valid upper case kept", in: "US-EAST-1", want: "US-EAST-1"},
		{name: "valid dotted", in: "a.b-c.d", want: "a.b-c.d"},
		{name: "valid 63-char label", in: strings.Repeat("a", 63), want: strings.Repeat("a", 63)},
		{name: "valid single char", in: "x", want: "x"},
		{name: "valid word fips alone", in: "fips", want: "fips"},

		{name: "slash", in: "us-east-1/evil", wantErr: true},
		{name: "leading dash", in: "-bad", wantErr: true},
		{name: "trailing dash", in: "bad-", wantErr: true},
		{name: "label ends with dash", in: "us-east-.1", wantErr: true},
		{name: "64-char label", in: strings.Repeat("a", 64), wantErr: true},
		{name: "64-char label after dot", in: "a." + strings.Repeat("b", 64), wantErr: true},
		{name: "empty label", in: "a..b", wantErr: true},
		{name: "leading dot", in: ".a", wantErr: true},
		{name: "trailing dot", in: "a.", wantErr: true},
		{name: "only dot", in: ".", wantErr: true},
		{name: "underscore", in: "us_east_1", wantErr: true},
		{name: "space", in: "us east 1", wantErr: true},
		{name: "non-ASCII", in: "us-eäst-1", wantErr: true},
		{name: "newline", in: "us-east-1\n", wantErr: true},
		{name: "fips prefix ending in dash", in: "fips-", wantErr: true},

		{name: "fips prefix", in: "fips-us-east-1", want: "us-east-1", wantFIPS: true},
		{name: "fips suffix", in: "us-east-1-fips", want: "us-east-1", wantFIPS: true},
		{name: "fips infix", in: "us-gov-fips-west-1", want: "us-gov-west-1", wantFIPS: true},
		{name: "fips prefix and suffix", in: "fips-us-gov-west-1-fips", want: "us-gov-west-1", wantFIPS: true},
		// MapFIPSRegion replaces anywhere, not only at the ends.
		{name: "fips- inside a word", in: "xfips-1", want: "x1", wantFIPS: true},
		{name: "-fips inside a word", in: "us-fipsy-1", want: "usy-1", wantFIPS: true},
		{name: "repeated infix", in: "a-fips-fips-b", want: "a-b", wantFIPS: true},
		{name: "fips in dotted name", in: "fips-a.b-fips", want: "a.b", wantFIPS: true},
		{name: "case sensitive", in: "FIPS-us-east-1", want: "FIPS-us-east-1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, fips, err := BindRegion(tc.in)
			if tc.wantErr {
				require.EqualError(t, err, "invalid input region "+tc.in)
				assert.Empty(t, got)
				assert.False(t, fips)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.wantFIPS, fips)
		})
	}
}

// TestBindThenResolve checks the two steps together, as the client uses them.
func TestBindThenResolve(t *testing.T) {
	region, fips, err := BindRegion("fips-us-gov-west-1")
	require.NoError(t, err)
	got, err := Resolve(Params{Region: region, UseFIPS: fips})
	require.NoError(t, err)
	assert.Equal(t, "https://amplifyuibuilder-fips.us-gov-west-1.amazonaws.com", got)
}

func TestResolveAllocations(t *testing.T) {
	p := Params{Region: "us-west-2", UseFIPS: true}
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := Resolve(p); err != nil {
			t.Fatal(err)
		}
	})
	assert.LessOrEqual(t, allocs, 1.0, "Resolve should allocate only the URL string")

	errAllocs := testing.AllocsPerRun(100, func() {
		if _, err := Resolve(Params{}); err == nil {
			t.Fatal("want error")
		}
	})
	assert.Zero(t, errAllocs, "rule errors are preallocated")
}

func BenchmarkResolve(b *testing.B) {
	p := Params{Region: "us-west-2", UseFIPS: true}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Resolve(p); err != nil {
			b.Fatal(err)
		}
	}
}
