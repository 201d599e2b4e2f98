package endpointrules

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// partitionsFile is the shape of testdata/partitions.json. Decoding it with
// DisallowUnknownFields makes any new field (a per-region override, a new
// output) fail the test, since the Go table could not represent it.
type partitionsFile struct {
	Partitions []struct {
		ID      string `json:"id"`
		Outputs struct {
			DNSSuffix            string `json:"dnsSuffix"`
			DualStackDNSSuffix   string `json:"dualStackDnsSuffix"`
			ImplicitGlobalRegion string `json:"implicitGlobalRegion"`
			Name                 string `json:"name"`
			SupportsDualStack    bool   `json:"supportsDualStack"`
			SupportsFIPS         bool   `json:"supportsFIPS"`
		} `json:"outputs"`
		RegionRegex string `json:"regionRegex"`
		Regions     map[string]struct {
			Description string `json:"description"`
		} `json:"regions"`
	} `json:"partitions"`
	Version string `json:"version"`
}

func loadPartitionsFile(t testing.TB) partitionsFile {
	t.Helper()
	raw, err := os.ReadFile("testdata/partitions.json")
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var f partitionsFile
	require.NoError(t, dec.Decode(&f))
	return f
}

func TestPartitionTableMatchesData(t *testing.T) {
	f := loadPartitionsFile(t)
	assert.Equal(t, "1.1", f.Version)
	require.Len(t, partitionTable, len(f.Partitions), "number of partitions")

	for i, want := range f.Partitions {
		got := partitionTable[i]
		t.Run(want.ID, func(t *testing.T) {
			assert.Equal(t, want.ID, got.ID, "id (table order)")
			assert.Equal(t, want.ID, want.Outputs.Name, "outputs.name differs from id; Partition has no Name field")
			assert.Equal(t, want.Outputs.DNSSuffix, got.DNSSuffix, "dnsSuffix")
			assert.Equal(t, want.Outputs.DualStackDNSSuffix, got.DualStackDNSSuffix, "dualStackDnsSuffix")
			assert.Equal(t, want.Outputs.SupportsFIPS, got.SupportsFIPS, "supportsFIPS")
			assert.Equal(t, want.Outputs.SupportsDualStack, got.SupportsDualStack, "supportsDualStack")
			assert.Equal(t, want.Outputs.ImplicitGlobalRegion, got.ImplicitGlobalRegion, "implicitGlobalRegion")
			assert.Equal(t, want.RegionRegex, got.regionRegex, "regionRegex")

			wantRegions := make([]string, 0, len(want.Regions))
			for r := range want.Regions {
				wantRegions = append(wantRegions, r)
			}
			sort.Strings(wantRegions)
			assert.Equal(t, wantRegions, got.regions, "regions (sorted)")
		})
	}
	assert.Equal(t, "aws", partitionTable[defaultPartitionIndex].ID, "defaultPartitionIndex")
}

// regionCorpus returns strings that probe every part of the region patterns:
// all explicit regions, each prefix with assorted middles and tails, and
// strings that only nearly match.
func regionCorpus() []string {
	var c []string
	prefixes := []string{"", "u", "us-", "usx", "eusc", "eusc-fr", "eu-iso", "cn-", "x"}
	for _, p := range partitionTable {
		c = append(c, p.regions...)
		c = append(c, p.ImplicitGlobalRegion)
		prefixes = append(prefixes, p.regionPrefixes...)
	}
	middles := []string{"east", "", "a_b", "_", "EAST", "9", "gov-east", "iso-west", "é", "ea st", "east."}
	tails := []string{"1", "", "12", "1a", "a", "1\n", "-1", "1-", "١"}
	for _, p := range prefixes {
		for _, m := range middles {
			for _, tl := range tails {
				c = append(c, p+"-"+m+"-"+tl, p+m+"-"+tl, p+"-"+m+tl)
			}
		}
	}
	return append(c, "", "-", "--", "us--1", "us-east-1\n", "\nus-east-1", " us-east-1", "mars-1", "us-east-1-fips")
}

func TestRegionPrefixesMatchRegex(t *testing.T) {
	corpus := regionCorpus()
	for _, p := range partitionTable {
		re := regexp.MustCompile(p.regionRegex)
		t.Run(p.ID, func(t *testing.T) {
			matched := 0
			for _, s := range corpus {
				want := re.MatchString(s)
				if want {
					matched++
				}
				assert.Equal(t, want, matchesRegionPattern(p.regionPrefixes, s), "region %q against %s", s, p.regionRegex)
			}
			assert.Positive(t, matched, "corpus never matches %s", p.regionRegex)
		})
	}
}

func FuzzMatchesRegionPattern(f *testing.F) {
	// TestRegionPrefixesMatchRegex runs the full corpus; a few seeds are
	// enough for the fuzzer to start from.
	for _, p := range partitionTable {
		f.Add(p.ImplicitGlobalRegion)
		f.Add(p.regions[0])
	}
	for _, s := range []string{"", "mars-1", "us-gov-east-9", "eusc-fr-east-1", "us-east_1-2", "us-east-1\n"} {
		f.Add(s)
	}
	res := make([]*regexp.Regexp, len(partitionTable))
	for i, p := range partitionTable {
		res[i] = regexp.MustCompile(p.regionRegex)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for i, p := range partitionTable {
			if got, want := matchesRegionPattern(p.regionPrefixes, s), res[i].MatchString(s); got != want {
				t.Fatalf("%s: matchesRegionPattern(%q) = %v, regexp %s says %v", p.ID, s, got, p.regionRegex, want)
			}
		}
	})
}

// partitionFor is the partition Resolve uses for region.
func partitionFor(region string) Partition { return partitionTable[partitionIndex(region)].Partition }

func TestPartitionIndex(t *testing.T) {
	aws := Partition{
		ID: "aws", DNSSuffix: "amazonaws.com", DualStackDNSSuffix: "api.aws",
		SupportsFIPS: true, SupportsDualStack: true, ImplicitGlobalRegion: "us-east-1",
	}
	usGov := Partition{
		ID: "aws-us-gov", DNSSuffix: "amazonaws.com", DualStackDNSSuffix: "api.aws",
		SupportsFIPS: true, SupportsDualStack: true, ImplicitGlobalRegion: "us-gov-west-1",
	}
	t.Run("full value", func(t *testing.T) {
		assert.Equal(t, aws, partitionFor("us-east-1"))
		assert.Equal(t, usGov, partitionFor("us-gov-east-9"))
	})

	cases := []struct {
		region string
		want   string
	}{
		// explicit list
		{"us-east-1", "aws"},
		{"ap-southeast-7", "aws"},
		{"aws-global", "aws"},
		{"cn-northwest-1", "aws-cn"},
		{"aws-cn-global", "aws-cn"},
		{"eusc-de-east-1", "aws-eusc"},
		{"us-iso-west-1", "aws-iso"},
		{"aws-iso-global", "aws-iso"},
		{"us-isob-east-1", "aws-iso-b"},
		{"aws-iso-b-global", "aws-iso-b"},
		{"eu-isoe-west-1", "aws-iso-e"},
		{"aws-iso-e-global", "aws-iso-e"},
		{"us-isof-east-1", "aws-iso-f"},
		{"aws-iso-f-global", "aws-iso-f"},
		{"us-gov-east-1", "aws-us-gov"},
		{"aws-us-gov-global", "aws-us-gov"},
		// regex only
		{"us-north-9", "aws"},
		{"mx-west_2-3", "aws"},
		{"cn-south-3", "aws-cn"},
		{"eusc-de-west-2", "aws-eusc"},
		{"us-iso-north-2", "aws-iso"},
		{"us-isob-south-4", "aws-iso-b"},
		{"eu-isoe-east-2", "aws-iso-e"},
		{"us-isof-west-3", "aws-iso-f"},
		{"us-gov-east-9", "aws-us-gov"},
		// nothing matches: default partition
		{"mars-1", "aws"},
		{"", "aws"},
		{"eusc-fr-east-1", "aws"},
		{"us-gov-east-1-fips", "aws"},
		{"US-GOV-EAST-1", "aws"},
		{"us-east-1\n", "aws"},
	}
	for _, tc := range cases {
		t.Run(tc.region, func(t *testing.T) {
			assert.Equal(t, tc.want, partitionFor(tc.region).ID)
		})
	}
}

// TestExplicitRegionsFirstPartitionWins checks that a region listed by two
// partitions belongs to the first, and that the explicit list beats a regex
// of an earlier partition.
func TestExplicitRegionsFirstPartitionWins(t *testing.T) {
	withPartitions(t, []partitionEntry{
		{Partition: Partition{ID: "first"}, regionPrefixes: []string{"zz"}, regions: []string{"shared-1"}},
		{Partition: Partition{ID: "second"}, regionPrefixes: []string{"yy"}, regions: []string{"shared-1", "zz-east-1"}},
	})
	assert.Equal(t, "first", partitionFor("shared-1").ID)
	assert.Equal(t, "second", partitionFor("zz-east-1").ID, "explicit list of a later partition beats an earlier regex")
	assert.Equal(t, "first", partitionFor("zz-west-1").ID)
	assert.Equal(t, "second", partitionFor("yy-west-1").ID)
	assert.Equal(t, "first", partitionFor("unknown").ID, "index 0 is the fallback")
}

// withPartitions swaps the partition table for the duration of the test.
// Tests using it must not run in parallel.
func withPartitions(t *testing.T, table []partitionEntry) {
	t.Helper()
	oldTable, oldRegions := partitionTable, explicitRegions
	partitionTable = table
	explicitRegions = buildExplicitRegions()
	t.Cleanup(func() {
		partitionTable, explicitRegions = oldTable, oldRegions
	})
}
