package amplifyuibuilder

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/internal/model"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// newInputWithNames returns a new input of op whose label is "label" and
// whose payload members each hold their own Go field name, set by name
// through reflection, independently of the bindings under test.
func newInputWithNames(t *testing.T, op *operation) any {
	t.Helper()
	var in any
	switch op.id {
	case opExchangeCodeForToken:
		in = &ExchangeCodeForTokenInput{Request: &types.ExchangeCodeForTokenRequestBody{}}
	case opRefreshToken:
		in = &RefreshTokenInput{RefreshTokenBody: &types.RefreshTokenRequestBody{}}
	}
	v := reflect.ValueOf(in).Elem()
	require.Equal(t, op.model.Input, v.Type().Name())
	v.FieldByName(op.model.LabelField).SetString("label")
	payload := v.FieldByName(op.model.PayloadField)
	require.Equal(t, op.model.Payload.Name, payload.Type().Elem().Name())
	for _, m := range op.model.Payload.Members {
		f := payload.Elem().FieldByName(m.GoName)
		require.True(t, f.IsValid(), "%s.%s", op.model.Payload.Name, m.GoName)
		name := m.GoName
		f.Set(reflect.ValueOf(&name))
	}
	return in
}

// Each operation's binding reads the Go fields the description names, in its
// order, and the shapes' Format prints them in that order with the sensitive
// ones redacted.
func TestBindingsFollowTheDescription(t *testing.T) {
	for _, op := range operations {
		t.Run(op.name(), func(t *testing.T) {
			in := newInputWithNames(t, op)
			bound := op.bind(in)
			assert.Equal(t, "label", bound.label)
			assert.True(t, bound.hasPayload)
			members := op.model.Payload.Members
			for i, m := range members {
				require.NotNil(t, bound.members[i], m.GoName)
				assert.Equal(t, m.GoName, *bound.members[i])
			}
			for i := len(members); i < model.MaxMembers; i++ {
				assert.Nil(t, bound.members[i])
			}

			// Format, one member set at a time: it prints under its own name.
			for j, set := range members {
				body := reflect.ValueOf(newInputWithNames(t, op)).Elem().FieldByName(op.model.PayloadField)
				for i, m := range members {
					if i != j {
						f := body.Elem().FieldByName(m.GoName)
						f.Set(reflect.Zero(f.Type()))
					}
				}
				printed := fmt.Sprintf("%v", body.Interface())
				for _, m := range members {
					want := m.GoName + ":<nil>"
					if m.GoName == set.GoName {
						want = m.GoName + ":" + m.GoName
						if m.Sensitive {
							want = m.GoName + ":[REDACTED]"
						}
					}
					assert.Contains(t, printed, want)
				}
				assert.NotContains(t, printed, "[REDACTED]"+set.GoName)
			}
		})
	}
}

// The operations' description holds SPEC's facts.
func TestOperationDescription(t *testing.T) {
	body := func(s *model.Structure) (keys, required, sensitive []string) {
		for _, i := range s.WireOrder() {
			m := s.Members[i]
			keys = append(keys, m.Name)
			if m.Required {
				required = append(required, m.Name)
			}
			if m.Sensitive {
				sensitive = append(sensitive, m.Name)
			}
		}
		return
	}
	keys, required, sensitive := body(model.ExchangeCodeForTokenRequestBody)
	assert.Equal(t, []string{"clientId", "code", "redirectUri"}, keys)
	assert.Equal(t, []string{"code", "redirectUri"}, required)
	assert.Equal(t, []string{"clientId", "code"}, sensitive)
	keys, required, sensitive = body(model.RefreshTokenRequestBody)
	assert.Equal(t, []string{"clientId", "token"}, keys)
	assert.Equal(t, []string{"token"}, required)
	assert.Equal(t, []string{"clientId", "token"}, sensitive)
	_, _, sensitive = body(model.ExchangeCodeForTokenOutput)
	assert.Equal(t, []string{"accessToken", "refreshToken"}, sensitive)
	assert.Equal(t, map[string]bool{"code": true, "clientId": true, "token": true, "accessToken": true, "refreshToken": true},
		model.SensitiveNames())
	assert.Equal(t, "/tokens/", model.RefreshToken.PathPrefix)
	assert.Equal(t, "/refresh", model.RefreshToken.PathSuffix)
}
