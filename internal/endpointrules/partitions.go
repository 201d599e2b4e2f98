package endpointrules

// Partition describes one AWS partition: the DNS suffixes its endpoints use
// and which endpoint variants it offers: one row of the partition table.
type Partition struct {
	// ID is the partition identifier, e.g. "aws", "aws-cn" or "aws-us-gov".
	ID string
	// DNSSuffix is the suffix of the partition's regular (IPv4) endpoints,
	// e.g. "amazonaws.com".
	DNSSuffix string
	// DualStackDNSSuffix is the suffix of the partition's dual-stack
	// (IPv4 and IPv6) endpoints, e.g. "api.aws".
	DualStackDNSSuffix string
	// SupportsFIPS reports whether the partition offers FIPS endpoints.
	SupportsFIPS bool
	// SupportsDualStack reports whether the partition offers dual-stack
	// endpoints.
	SupportsDualStack bool
	// ImplicitGlobalRegion is the region that global (region-less) requests
	// in this partition are attributed to, e.g. "us-east-1" for "aws".
	ImplicitGlobalRegion string
}

// partitionEntry is one row of the partition table.
type partitionEntry struct {
	Partition

	// regionRegex is the regionRegex of partitions.json, kept verbatim so the
	// tests can check the table against the data file and check regionPrefixes
	// against it. Resolve never compiles it.
	regionRegex string

	// regionPrefixes is the hand-compiled form of regionRegex. Every regex in
	// the data file has the shape ^(p1|p2|...)\-\w+\-\d+$; a region matches
	// when it is one of the prefixes, a '-', one or more ASCII word characters
	// ([0-9A-Za-z_]), a '-', and one or more ASCII digits, and nothing else.
	regionPrefixes []string

	// regions is the partition's explicit region list, in the data file's
	// (sorted) order.
	regions []string
}

// defaultPartitionIndex is the index in partitionTable of "aws", the partition
// used for a region nothing else claims.
const defaultPartitionIndex = 0

// partitionTable mirrors testdata/partitions.json (a copy of
// internal/endpoints/awsrulesfn/partitions.json from aws-sdk-go-v2 v1.48.0),
// in the file's order. TestPartitionTableMatchesData keeps the two in step.
var partitionTable = []partitionEntry{
	{
		Partition: Partition{
			ID:                   "aws",
			DNSSuffix:            "amazonaws.com",
			DualStackDNSSuffix:   "api.aws",
			SupportsFIPS:         true,
			SupportsDualStack:    true,
			ImplicitGlobalRegion: "us-east-1",
		},
		regionRegex:    `^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$`,
		regionPrefixes: []string{"us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"},
		regions: []string{
			"af-south-1",
			"ap-east-1",
			"ap-east-2",
			"ap-northeast-1",
			"ap-northeast-2",
			"ap-northeast-3",
			"ap-south-1",
			"ap-south-2",
			"ap-southeast-1",
			"ap-southeast-2",
			"ap-southeast-3",
			"ap-southeast-4",
			"ap-southeast-5",
			"ap-southeast-6",
			"ap-southeast-7",
			"aws-global",
			"ca-central-1",
			"ca-west-1",
			"eu-central-1",
			"eu-central-2",
			"eu-north-1",
			"eu-south-1",
			"eu-south-2",
			"eu-west-1",
			"eu-west-2",
			"eu-west-3",
			"il-central-1",
			"me-central-1",
			"me-south-1",
			"me-west-1",
			"mx-central-1",
			"sa-east-1",
			"sa-west-1",
			"us-east-1",
			"us-east-2",
			"us-west-1",
			"us-west-2",
		},
	},
	{
		Partition: Partition{
			ID:                   "aws-cn",
			DNSSuffix:            "amazonaws.com.cn",
			DualStackDNSSuffix:   "api.amazonwebservices.com.cn",
			SupportsFIPS:         true,
			SupportsDualStack:    true,
			ImplicitGlobalRegion: "cn-northwest-1",
		},
		regionRegex:    `^cn\-\w+\-\d+$`,
		regionPrefixes: []string{"cn"},
		regions: []string{
			"aws-cn-global",
			"cn-north-1",
			"cn-northwest-1",
		},
	},
	{
		Partition: Partition{
			ID:                   "aws-eusc",
			DNSSuffix:            "amazonaws.eu",
			DualStackDNSSuffix:   "api.amazonwebservices.eu",
			SupportsFIPS:         true,
			SupportsDualStack:    true,
			ImplicitGlobalRegion: "eusc-de-east-1",
		},
		regionRegex:    `^eusc\-(de)\-\w+\-\d+$`,
		regionPrefixes: []string{"eusc-de"},
		regions: []string{
			"eusc-de-east-1",
		},
	},
	{
		Partition: Partition{
			ID:                   "aws-iso",
			DNSSuffix:            "c2s.ic.gov",
			DualStackDNSSuffix:   "api.aws.ic.gov",
			SupportsFIPS:         true,
			SupportsDualStack:    true,
			ImplicitGlobalRegion: "us-iso-east-1",
		},
		regionRegex:    `^us\-iso\-\w+\-\d+$`,
		regionPrefixes: []string{"us-iso"},
		regions: []string{
			"aws-iso-global",
			"us-iso-east-1",
			"us-iso-west-1",
		},
	},
	{
		Partition: Partition{
			ID:                   "aws-iso-b",
			DNSSuffix:            "sc2s.sgov.gov",
			DualStackDNSSuffix:   "api.aws.scloud",
			SupportsFIPS:         true,
			SupportsDualStack:    true,
			ImplicitGlobalRegion: "us-isob-east-1",
		},
		regionRegex:    `^us\-isob\-\w+\-\d+$`,
		regionPrefixes: []string{"us-isob"},
		regions: []string{
			"aws-iso-b-global",
			"us-isob-east-1",
			"us-isob-west-1",
		},
	},
	{
		Partition: Partition{
			ID:                   "aws-iso-e",
			DNSSuffix:            "cloud.adc-e.uk",
			DualStackDNSSuffix:   "api.cloud-aws.adc-e.uk",
			SupportsFIPS:         true,
			SupportsDualStack:    true,
			ImplicitGlobalRegion: "eu-isoe-west-1",
		},
		regionRegex:    `^eu\-isoe\-\w+\-\d+$`,
		regionPrefixes: []string{"eu-isoe"},
		regions: []string{
			"aws-iso-e-global",
			"eu-isoe-west-1",
		},
	},
	{
		Partition: Partition{
			ID:                   "aws-iso-f",
			DNSSuffix:            "csp.hci.ic.gov",
			DualStackDNSSuffix:   "api.aws.hci.ic.gov",
			SupportsFIPS:         true,
			SupportsDualStack:    true,
			ImplicitGlobalRegion: "us-isof-south-1",
		},
		regionRegex:    `^us\-isof\-\w+\-\d+$`,
		regionPrefixes: []string{"us-isof"},
		regions: []string{
			"aws-iso-f-global",
			"us-isof-east-1",
			"us-isof-south-1",
		},
	},
	{
		Partition: Partition{
			ID:                   "aws-us-gov",
			DNSSuffix:            "amazonaws.com",
			DualStackDNSSuffix:   "api.aws",
			SupportsFIPS:         true,
			SupportsDualStack:    true,
			ImplicitGlobalRegion: "us-gov-west-1",
		},
		regionRegex:    `^us\-gov\-\w+\-\d+$`,
		regionPrefixes: []string{"us-gov"},
		regions: []string{
			"aws-us-gov-global",
			"us-gov-east-1",
			"us-gov-west-1",
		},
	},
}

// explicitRegions maps every explicitly listed region to the index of the
// first partition (in table order) that lists it. It is built once, at
// package initialisation, and only read afterwards.
var explicitRegions = buildExplicitRegions()

func buildExplicitRegions() map[string]int {
	m := make(map[string]int)
	for i := range partitionTable {
		for _, r := range partitionTable[i].regions {
			if _, dup := m[r]; !dup {
				m[r] = i
			}
		}
	}
	return m
}

// partitionIndex returns the index in partitionTable of the partition a
// region belongs to: the first partition (in table order) whose explicit
// region list contains region; otherwise the first partition whose region
// pattern matches it; otherwise "aws". It never fails, so an unknown or empty
// region yields the "aws" partition.
func partitionIndex(region string) int {
	if i, ok := explicitRegions[region]; ok {
		return i
	}
	for i := range partitionTable {
		if matchesRegionPattern(partitionTable[i].regionPrefixes, region) {
			return i
		}
	}
	return defaultPartitionIndex
}

// matchesRegionPattern reports whether region matches ^(prefixes...)\-\w+\-\d+$
// with Go regexp (RE2) semantics: \w is [0-9A-Za-z_], \d is [0-9] and $ is
// the end of the text.
func matchesRegionPattern(prefixes []string, region string) bool {
	for _, p := range prefixes {
		if len(region) > len(p) && region[len(p)] == '-' && region[:len(p)] == p &&
			isWordDashDigits(region[len(p)+1:]) {
			return true
		}
	}
	return false
}

// isWordDashDigits reports whether s is \w+\-\d+ in full. Since \w cannot
// match '-', s must hold exactly one '-', with word characters before it and
// digits after it.
func isWordDashDigits(s string) bool {
	dash := -1
	for i := 0; i < len(s); i++ {
		if s[i] == '-' {
			dash = i
			break
		}
	}
	if dash <= 0 || dash == len(s)-1 {
		return false
	}
	for i := 0; i < dash; i++ {
		if !isWordByte(s[i]) {
			return false
		}
	}
	for i := dash + 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}
