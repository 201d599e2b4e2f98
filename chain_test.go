package amplifyuibuilder

import (
	"context"
	"sync"
	"testing"

	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStackFunctionsRunWhereTheyWereAdded checks that middleware added by
// APIOptions runs in stack order, step after step, relative to the client's
// own middleware, and that two middleware with the same ID both run.
func TestStackFunctionsRunWhereTheyWereAdded(t *testing.T) {
	var mu sync.Mutex
	var ran []string
	note := func(name string) {
		mu.Lock()
		ran = append(ran, name)
		mu.Unlock()
	}
	initialize := func(id, name string) middleware.InitializeMiddleware {
		return middleware.InitializeMiddlewareFunc(id, func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (
			middleware.InitializeOutput, middleware.Metadata, error,
		) {
			note(name)
			return next.HandleInitialize(ctx, in)
		})
	}
	c, _ := setup(t, okTokens, WithAPIOptions(
		func(s *middleware.Stack) error {
			// Added last, run last: the deserialize step runs from the
			// transport outwards, so After is the first to see the response.
			return s.Deserialize.Add(middleware.DeserializeMiddlewareFunc("seeResponse", func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
				middleware.DeserializeOutput, middleware.Metadata, error,
			) {
				out, metadata, err := next.HandleDeserialize(ctx, in)
				note("deserialize: response seen, result " + describeResult(out.Result))
				return out, metadata, err
			}), middleware.After)
		},
		func(s *middleware.Stack) error {
			return s.Finalize.Insert(middleware.FinalizeMiddlewareFunc("afterSigning", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
				middleware.FinalizeOutput, middleware.Metadata, error,
			) {
				if req, ok := in.Request.(*smithyhttp.Request); ok && req.Header.Get("Authorization") != "" {
					note("finalize: after Signing, signed")
				}
				return next.HandleFinalize(ctx, in)
			}), "Signing", middleware.After)
		},
		func(s *middleware.Stack) error {
			return s.Build.Add(middleware.BuildMiddlewareFunc("build", func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (
				middleware.BuildOutput, middleware.Metadata, error,
			) {
				note("build")
				return next.HandleBuild(ctx, in)
			}), middleware.Before)
		},
		func(s *middleware.Stack) error {
			return s.Serialize.Insert(middleware.SerializeMiddlewareFunc("beforeSerializer", func(ctx context.Context, in middleware.SerializeInput, next middleware.SerializeHandler) (
				middleware.SerializeOutput, middleware.Metadata, error,
			) {
				note("serialize: before OperationSerializer")
				return next.HandleSerialize(ctx, in)
			}), "OperationSerializer", middleware.Before)
		},
		func(s *middleware.Stack) error {
			if err := s.Initialize.Add(initialize("dup", "initialize: first dup"), middleware.Before); err != nil {
				return err
			}
			return s.Initialize.Add(initialize("dup", "initialize: second dup"), middleware.After)
		},
	))

	_, err := exchange(t, c, exchangeInput())
	require.NoError(t, err)
	assert.Equal(t, []string{
		"initialize: first dup",
		"initialize: second dup",
		"serialize: before OperationSerializer",
		"build",
		"finalize: after Signing, signed",
		"deserialize: response seen, result <nil>",
	}, ran)
}

func describeResult(v any) string {
	if v == nil {
		return "<nil>"
	}
	return "set"
}
