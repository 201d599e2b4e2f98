package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/internal/model"
	"github.com/uibuilder-go/amplifyuibuilder/internal/redact"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// These tests hold the CLI to the operations' description in
// internal/model: a member added there and not bound here fails one of them.

func memberNames(s *model.Structure) []string {
	var names []string
	for _, m := range s.Members {
		names = append(names, m.Name)
	}
	return names
}

// commandFor returns the command of op.
func commandFor(t *testing.T, op *model.Operation) operationCommand {
	t.Helper()
	i := slices.IndexFunc(operationCommands, func(c operationCommand) bool { return c.model == op })
	require.GreaterOrEqual(t, i, 0, "no command for %s", op.Name)
	return operationCommands[i]
}

func TestEveryOperationHasACommand(t *testing.T) {
	var listed []string
	for _, cmd := range commands() {
		listed = append(listed, cmd.name)
	}
	require.Len(t, operationCommands, len(model.Operations))
	for _, op := range model.Operations {
		c := commandFor(t, op)
		assert.Equal(t, op.Name, c.operation)
		assert.Contains(t, listed, c.name)
	}
}

// jsonKeys returns the keys of a JSON object in the order written.
func jsonKeys(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok)
	var keys []string
	for dec.More() {
		key, err := dec.Token()
		require.NoError(t, err)
		keys = append(keys, key.(string))
		var skip json.RawMessage
		require.NoError(t, dec.Decode(&skip))
	}
	return keys
}

func TestSkeletonsListTheModelsMembers(t *testing.T) {
	for _, op := range model.Operations {
		t.Run(op.Name, func(t *testing.T) {
			c := commandFor(t, op)

			var input map[string]json.RawMessage
			require.NoError(t, json.Unmarshal([]byte(c.inputSkeleton()), &input))
			assert.Equal(t, memberNames(op.Payload), jsonKeys(t, input[c.body.name]), "input skeleton")

			yamlLines := strings.Split(strings.TrimSuffix(c.yamlInputSkeleton(), "\n"), "\n")
			require.Len(t, yamlLines, 2+len(op.Payload.Members), "yaml-input skeleton:\n%s", c.yamlInputSkeleton())
			assert.Contains(t, yamlLines[1], op.PayloadDoc)
			for i, m := range op.Payload.Members {
				line := yamlLines[2+i]
				assert.True(t, strings.HasPrefix(line, "  "+m.Name+": "), "yaml-input line %q for %s", line, m.Name)
				assert.True(t, strings.HasSuffix(line, m.Doc), "yaml-input line %q lacks the doc of %s", line, m.Name)
				assert.Equal(t, m.Required, strings.Contains(line, "[REQUIRED]"), "yaml-input line %q", line)
			}

			out := c.outputSkeleton()
			require.Len(t, out, len(op.Output.Members))
			for _, m := range op.Output.Members {
				if m.Type == model.Int32 {
					assert.Equal(t, float64(0), out[m.Name], "output skeleton %s", m.Name)
				} else {
					assert.Equal(t, m.Name, out[m.Name], "output skeleton %s", m.Name)
				}
			}
		})
	}
}

// shorthandSynopsis matches one member of a synopsis: name=VALUE, after a
// comma unless first, in brackets when optional.
var shorthandSynopsis = regexp.MustCompile(`(\[?),?(\w+)=[A-Z]+\]?`)

func TestHelpListsTheModelsMembers(t *testing.T) {
	for _, op := range model.Operations {
		t.Run(op.Name, func(t *testing.T) {
			c := commandFor(t, op)
			var f operationFlags
			fs := c.flagSet(&f)
			var help bytes.Buffer
			fs.SetOutput(&help)
			fs.Usage()

			usage, _, _ := strings.Cut(help.String(), "\n")
			_, shorthand, found := strings.Cut(usage, " --"+c.body.flag+" ")
			require.True(t, found, "usage %q", usage)
			shorthand, _, _ = strings.Cut(shorthand, " ")
			var listed []string
			parts := shorthandSynopsis.FindAllStringSubmatch(shorthand, -1)
			require.Equal(t, shorthand, strings.Join(slices.Collect(func(yield func(string) bool) {
				for _, p := range parts {
					yield(p[0])
				}
			}), ""), "usage %q", usage)
			for _, part := range parts {
				optional, name := part[1] == "[", part[2]
				listed = append(listed, name)
				m, ok := op.Payload.Member(name)
				require.True(t, ok, "usage %q lists %s", usage, name)
				assert.Equal(t, !m.Required, optional, "usage %q: %s", usage, name)
			}
			assert.Equal(t, memberNames(op.Payload), listed, "usage %q", usage)
		})
	}
}

func TestBodyParameterTakesExactlyTheModelsMembers(t *testing.T) {
	for _, op := range model.Operations {
		t.Run(op.Name, func(t *testing.T) {
			c := commandFor(t, op)
			var pairs []string
			want := map[string]string{}
			for _, m := range op.Payload.Members {
				pairs = append(pairs, m.Name+"=v-"+m.Name)
				want[m.Name] = "v-" + m.Name
			}

			got, err := c.body.parse(strings.Join(pairs, ","))
			require.NoError(t, err)
			assert.Equal(t, want, got)

			_, err = c.body.parse(strings.Join(append(pairs, "notAMember=x"), ","))
			require.Error(t, err)
			assert.Equal(t, `Unknown parameter in `+c.body.name+`: "notAMember", must be one of: `+strings.Join(memberNames(op.Payload), ", "), err.Error())
		})
	}
}

// callCommand runs c's call with body against a client whose transport
// records the request and answers with answer.
func callCommand(t *testing.T, c operationCommand, body map[string]string, answer string) (sent map[string]string, out result) {
	t.Helper()
	srv := startServer(t)
	client := srv.Client(func(o *amplifyuibuilder.Options) {
		o.HTTPClient = doerFunc(func(r *http.Request) (*http.Response, error) {
			data, err := io.ReadAll(r.Body)
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(data, &sent))
			return &http.Response{
				StatusCode: http.StatusOK, Request: r,
				Header: http.Header{"Content-Type": {"application/json"}},
				Body:   io.NopCloser(strings.NewReader(answer)),
			}, nil
		})
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := c.call(ctx, client, types.TokenProvidersFigma, c.body.values(body))
	require.NoError(t, err)
	return sent, out
}

type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

func TestCallBindsEveryModelMember(t *testing.T) {
	for _, op := range model.Operations {
		t.Run(op.Name, func(t *testing.T) {
			c := commandFor(t, op)
			body := map[string]string{}
			for _, m := range op.Payload.Members {
				body[m.Name] = "v-" + m.Name
			}
			answer := map[string]any{}
			want := result{}
			for i, m := range op.Output.Members {
				if m.Type == model.Int32 {
					answer[m.Name] = 100 + i
					want[m.Name] = float64(100 + i)
				} else {
					answer[m.Name] = "out-" + m.Name
					want[m.Name] = "out-" + m.Name
				}
			}
			answerJSON, err := json.Marshal(answer)
			require.NoError(t, err)

			sent, out := callCommand(t, c, body, string(answerJSON))

			assert.Equal(t, body, sent, "the request body")
			assert.Equal(t, want, out, "the result")
		})
	}
}

// TestDemoRedactsTheModelsSensitiveOutputMembers: the demo prints every
// output member, each sensitive one as the marker.
func TestDemoRedactsTheModelsSensitiveOutputMembers(t *testing.T) {
	for _, op := range model.Operations {
		t.Run(op.Name, func(t *testing.T) {
			r := result{}
			for _, m := range op.Output.Members {
				r[m.Name] = "v-" + m.Name
			}
			var out bytes.Buffer
			require.NoError(t, printRedacted(&out, r, middleware.Metadata{}))

			var printed map[string]string
			require.NoError(t, json.Unmarshal(out.Bytes(), &printed), "printed %q", out.String())
			require.Len(t, printed, len(op.Output.Members))
			for _, m := range op.Output.Members {
				if m.Sensitive {
					assert.Equal(t, redact.Marker, printed[m.Name], "%s.%s", op.Name, m.Name)
				} else {
					assert.Equal(t, "v-"+m.Name, printed[m.Name], "%s.%s", op.Name, m.Name)
				}
			}
		})
	}
}

func TestKebabCase(t *testing.T) {
	for name, want := range map[string]string{
		"ExchangeCodeForToken": "exchange-code-for-token",
		"RefreshTokenBody":     "refresh-token-body",
		"Request":              "request",
		"Provider":             "provider",
		"ListAWSAccounts":      "list-aws-accounts",
		"GetV2Token":           "get-v2-token",
	} {
		assert.Equal(t, want, kebabCase(name), name)
	}
}
