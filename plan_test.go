package amplifyuibuilder

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	smithyendpoints "github.com/aws/smithy-go/endpoints"
	"github.com/aws/smithy-go/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// specStack is SPEC.md's table: the IDs every step holds, in this relative
// order, in the generated clients of the same SDK version.
var specStack = map[string][]string{
	"Initialize":  {"OperationInputValidation"},
	"Serialize":   {"OperationSerializer"},
	"Build":       {"ClientRequestID", "UserAgent", "RecursionDetection"},
	"Finalize":    {"Retry", "ResolveAuthScheme", "GetIdentity", "ResolveEndpointV2", "ComputePayloadHash", "Signing"},
	"Deserialize": {"AddRawResponseToMetadata", "ResponseErrorWrapper", "RequestIDRetriever", "OperationDeserializer", "RecordResponseTiming"},
}

var errListed = errors.New("stack listed")

// listSteps returns an APIOption that records the IDs of every step into
// lists and then stops the call before anything is sent.
func listSteps(lists map[string][]string) func(*middleware.Stack) error {
	return func(s *middleware.Stack) error {
		lists["Initialize"] = s.Initialize.List()
		lists["Serialize"] = s.Serialize.List()
		lists["Build"] = s.Build.List()
		lists["Finalize"] = s.Finalize.List()
		lists["Deserialize"] = s.Deserialize.List()
		return errListed
	}
}

// only keeps the IDs of list that are in ids, in list's order.
func only(list, ids []string) []string {
	var kept []string
	for _, id := range list {
		if slices.Contains(ids, id) {
			kept = append(kept, id)
		}
	}
	return kept
}

// Our stack, as APIOptions see it, holds SPEC's IDs in SPEC's order, and so
// does a generated client's (service/sts, AssumeRole, which has required
// members); every ID the two share is in the same relative order.
func TestStackMatchesGeneratedClient(t *testing.T) {
	creds := credentials.NewStaticCredentialsProvider(testAccessKeyID, testSecretAccessKey, "")
	generated := map[string][]string{}
	_, err := sts.New(sts.Options{Region: testRegion, Credentials: creds}).
		AssumeRole(context.Background(), &sts.AssumeRoleInput{}, func(o *sts.Options) {
			o.APIOptions = append(o.APIOptions, listSteps(generated))
		})
	require.ErrorIs(t, err, errListed)

	forEachOperation(t, func(t *testing.T, op tokenOperation) {
		ours := map[string][]string{}
		c := New(Options{Region: testRegion, Credentials: creds})
		_, err := op.run(t, c, WithAPIOptions(listSteps(ours)))
		require.ErrorIs(t, err, errListed)

		for step, ids := range specStack {
			assert.Equal(t, ids, only(generated[step], ids), "sts %s: %v", step, generated[step])
			assert.Equal(t, ids, only(ours[step], ids), "ours %s: %v", step, ours[step])
			shared := only(ours[step], generated[step])
			assert.Equal(t, only(generated[step], shared), shared, "%s: the IDs both have, in the same order", step)
		}
	})
}

// Endpoint, identity, payload hash and signature are done on every attempt.
func TestEveryAttemptResolvesEndpointAndIdentity(t *testing.T) {
	var endpoints, identities int
	resolver := endpointResolverFunc(func(ctx context.Context, p EndpointParameters) (smithyendpoints.Endpoint, error) {
		endpoints++
		return NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, p)
	})
	c, rec := setup(t, failThenOK(2, 503, ""), func(o *Options) {
		base := o.BaseEndpoint
		o.EndpointResolverV2 = resolver
		o.BaseEndpoint = base
		inner := o.Credentials
		o.Credentials = aws.CredentialsProviderFunc(func(ctx context.Context) (aws.Credentials, error) {
			identities++
			return inner.Retrieve(ctx)
		})
	})
	_, err := exchange(t, c, exchangeInput())
	require.NoError(t, err)
	require.Len(t, rec.all(), 3)
	assert.Equal(t, 3, endpoints, "one endpoint resolution per attempt")
	assert.Equal(t, 3, identities, "one identity per attempt")
	dates := map[string]bool{}
	for _, req := range rec.all() {
		assert.Equal(t, resign(t, req, testRegion), req.Header.Get("Authorization"))
		dates[req.Header.Get("Authorization")] = true
	}
	assert.Len(t, dates, 3, "each attempt signed anew (its amz-sdk-request is signed)")
}

type endpointResolverFunc func(context.Context, EndpointParameters) (smithyendpoints.Endpoint, error)

func (f endpointResolverFunc) ResolveEndpoint(ctx context.Context, p EndpointParameters) (smithyendpoints.Endpoint, error) {
	return f(ctx, p)
}
