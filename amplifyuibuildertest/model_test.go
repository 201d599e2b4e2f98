package amplifyuibuildertest_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
	"github.com/uibuilder-go/amplifyuibuilder/internal/model"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// These tests hold the local server to the operations' description in
// internal/model: a member added there and not served here fails one of
// them.

// modelCall calls op through the real client; the body the server sees is
// whatever the options make of it.
func modelCall(t *testing.T, client *amplifyuibuilder.Client, op *model.Operation, optFns ...func(*amplifyuibuilder.Options)) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var err error
	switch op {
	case model.ExchangeCodeForToken:
		_, err = client.ExchangeCodeForToken(ctx, exchangeInput("c", redirectURI), optFns...)
	case model.RefreshToken:
		_, err = client.RefreshToken(ctx, &amplifyuibuilder.RefreshTokenInput{
			Provider:         types.TokenProvidersFigma,
			RefreshTokenBody: &types.RefreshTokenRequestBody{Token: aws.String("t")},
		}, optFns...)
	default:
		t.Fatalf("no call for %s", op.Name)
	}
	return err
}

// messageFor sends body to op and returns the InvalidParameterException's
// message, which must quote none of secrets.
func messageFor(t *testing.T, client *amplifyuibuilder.Client, op *model.Operation, body map[string]any, secrets []string) string {
	t.Helper()
	data, err := json.Marshal(body)
	require.NoError(t, err)
	err = modelCall(t, client, op, beforeSigning(withBody(string(data))))
	message := requireAPIError(t, err, http.StatusBadRequest, "InvalidParameterException")
	requireNoSecret(t, message, secrets...)
	return message
}

func TestOperationNamesAreTheModels(t *testing.T) {
	assert.Equal(t, model.ExchangeCodeForToken.Name, amplifyuibuildertest.OperationExchangeCodeForToken)
	assert.Equal(t, model.RefreshToken.Name, amplifyuibuildertest.OperationRefreshToken)
}

// TestServerReadsExactlyTheModelsMembers: the server checks every member of
// each operation's payload, enforces each required one, ignores a member the
// description does not have, and quotes no value of a sensitive member.
func TestServerReadsExactlyTheModelsMembers(t *testing.T) {
	srv := startServer(t)
	client := newClient(srv)
	for _, op := range model.Operations {
		t.Run(op.Name, func(t *testing.T) {
			full := map[string]any{}
			var secrets []string
			for _, m := range op.Payload.Members {
				value := "value-of-" + m.Name + "-x7Q9"
				full[m.Name] = value
				if m.Sensitive {
					secrets = append(secrets, value)
				}
			}
			require.NotEmpty(t, secrets, "the payload of %s has a secret member", op.Name)
			// Every member well formed: the server gets past the members
			// to the values, which it did not issue.
			refused := messageFor(t, client, op, full, secrets)
			assert.NotContains(t, refused, "Member ")
			assert.NotContains(t, refused, "Missing required member")

			unknown := maps.Clone(full)
			unknown["notAMember"] = 42
			assert.Equal(t, refused, messageFor(t, client, op, unknown, secrets), "a member not in the description is ignored")

			for _, m := range op.Payload.Members {
				wrongType := maps.Clone(full)
				wrongType[m.Name] = 42
				assert.Equal(t, "Member "+m.Name+" must be a string.", messageFor(t, client, op, wrongType, secrets))

				if m.Required {
					missing := maps.Clone(full)
					delete(missing, m.Name)
					assert.Equal(t, "Missing required member: "+m.Name+".", messageFor(t, client, op, missing, secrets))
				}
			}
		})
	}
}

// TestServerAnswersTheModelsOutputMembers: a successful answer carries
// exactly the members of the operation's output, each of its type.
func TestServerAnswersTheModelsOutputMembers(t *testing.T) {
	srv := startServer(t)
	client := newClient(srv)
	answers := map[*model.Operation]map[string]any{}

	exchanged := map[string]any{}
	out, err := exchange(t, client, exchangeInput(srv.IssueCode(redirectURI), redirectURI), rawBodyInto(&exchanged))
	require.NoError(t, err)
	answers[model.ExchangeCodeForToken] = exchanged

	refreshed := map[string]any{}
	body, err := json.Marshal(map[string]string{"token": aws.ToString(out.RefreshToken)})
	require.NoError(t, err)
	require.NoError(t, modelCall(t, client, model.RefreshToken, beforeSigning(withBody(string(body))), rawBodyInto(&refreshed)))
	answers[model.RefreshToken] = refreshed

	require.Len(t, answers, len(model.Operations))
	for _, op := range model.Operations {
		answer := answers[op]
		var want []string
		for _, m := range op.Output.Members {
			want = append(want, m.Name)
			switch m.Type {
			case model.String:
				assert.IsType(t, "", answer[m.Name], "%s.%s", op.Name, m.Name)
			case model.Int32:
				assert.IsType(t, float64(0), answer[m.Name], "%s.%s", op.Name, m.Name)
			}
		}
		assert.ElementsMatch(t, want, slices.Collect(maps.Keys(answer)), "%s answers %v", op.Name, answer)
	}
}
