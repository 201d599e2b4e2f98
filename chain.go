package amplifyuibuilder

import (
	"context"

	"github.com/aws/smithy-go/middleware"
)

// compileStack turns a built stack into a fixed chain of handlers that calls
// the same middleware in the same order, and returns its entry point.
//
// A smithy-go Stack links its steps anew on every call: it allocates a
// decorator per step and per call, and it writes the next handler into its
// own last link as it goes, so that two calls through one Stack race. The
// chain is linked once, when the call plan is built; a call allocates
// nothing to walk it, and any number of calls may walk it at once.
//
// compileStack empties the stack: it takes the middleware out of each step
// in order, which, unlike Get, also finds middleware that share an ID.
func compileStack(stack *middleware.Stack, newRequest func(context.Context) any, transport middleware.Handler) (middleware.Handler, error) {
	initialize, err := drainStep(stack.Initialize)
	if err != nil {
		return nil, err
	}
	serialize, err := drainStep(stack.Serialize)
	if err != nil {
		return nil, err
	}
	build, err := drainStep(stack.Build)
	if err != nil {
		return nil, err
	}
	finalize, err := drainStep(stack.Finalize)
	if err != nil {
		return nil, err
	}
	deserialize, err := drainStep(stack.Deserialize)
	if err != nil {
		return nil, err
	}

	// Link from the transport up. Between steps, each handler hands the
	// next step the part of its input that smithy-go's steps hand on.
	var d middleware.DeserializeHandler = middleware.DeserializeHandlerFunc(
		func(ctx context.Context, in middleware.DeserializeInput) (middleware.DeserializeOutput, middleware.Metadata, error) {
			raw, metadata, err := transport.Handle(ctx, in.Request)
			return middleware.DeserializeOutput{RawResponse: raw}, metadata, err
		})
	for i := len(deserialize) - 1; i >= 0; i-- {
		d = &deserializeLink{deserialize[i], d}
	}

	var f middleware.FinalizeHandler = middleware.FinalizeHandlerFunc(
		func(ctx context.Context, in middleware.FinalizeInput) (middleware.FinalizeOutput, middleware.Metadata, error) {
			out, metadata, err := d.HandleDeserialize(ctx, middleware.DeserializeInput{Request: in.Request})
			return middleware.FinalizeOutput{Result: out.Result}, metadata, err
		})
	for i := len(finalize) - 1; i >= 0; i-- {
		f = &finalizeLink{finalize[i], f}
	}

	var b middleware.BuildHandler = middleware.BuildHandlerFunc(
		func(ctx context.Context, in middleware.BuildInput) (middleware.BuildOutput, middleware.Metadata, error) {
			out, metadata, err := f.HandleFinalize(ctx, middleware.FinalizeInput{Request: in.Request})
			return middleware.BuildOutput{Result: out.Result}, metadata, err
		})
	for i := len(build) - 1; i >= 0; i-- {
		b = &buildLink{build[i], b}
	}

	var s middleware.SerializeHandler = middleware.SerializeHandlerFunc(
		func(ctx context.Context, in middleware.SerializeInput) (middleware.SerializeOutput, middleware.Metadata, error) {
			out, metadata, err := b.HandleBuild(ctx, middleware.BuildInput{Request: in.Request})
			return middleware.SerializeOutput{Result: out.Result}, metadata, err
		})
	for i := len(serialize) - 1; i >= 0; i-- {
		s = &serializeLink{serialize[i], s}
	}

	var init middleware.InitializeHandler = middleware.InitializeHandlerFunc(
		func(ctx context.Context, in middleware.InitializeInput) (middleware.InitializeOutput, middleware.Metadata, error) {
			out, metadata, err := s.HandleSerialize(ctx, middleware.SerializeInput{Parameters: in.Parameters, Request: newRequest(ctx)})
			return middleware.InitializeOutput{Result: out.Result}, metadata, err
		})
	for i := len(initialize) - 1; i >= 0; i-- {
		init = &initializeLink{initialize[i], init}
	}

	return middleware.HandlerFunc(func(ctx context.Context, params any) (any, middleware.Metadata, error) {
		out, metadata, err := init.HandleInitialize(ctx, middleware.InitializeInput{Parameters: params})
		return out.Result, metadata, err
	}), nil
}

// step is what compileStack needs of a stack step whose middleware are M.
type step[M any] interface {
	List() []string
	Remove(id string) (M, error)
}

// drainStep removes the middleware of s, first to last, and returns them in
// that order. Removing an ID removes its first occurrence, which is the head
// once everything before it is gone.
func drainStep[M any](s step[M]) ([]M, error) {
	ids := s.List()
	list := make([]M, 0, len(ids))
	for _, id := range ids {
		m, err := s.Remove(id)
		if err != nil {
			return nil, err
		}
		list = append(list, m)
	}
	return list, nil
}

// The links of the chain: one middleware and the handler after it.

type initializeLink struct {
	m    middleware.InitializeMiddleware
	next middleware.InitializeHandler
}

func (l *initializeLink) HandleInitialize(ctx context.Context, in middleware.InitializeInput) (middleware.InitializeOutput, middleware.Metadata, error) {
	return l.m.HandleInitialize(ctx, in, l.next)
}

type serializeLink struct {
	m    middleware.SerializeMiddleware
	next middleware.SerializeHandler
}

func (l *serializeLink) HandleSerialize(ctx context.Context, in middleware.SerializeInput) (middleware.SerializeOutput, middleware.Metadata, error) {
	return l.m.HandleSerialize(ctx, in, l.next)
}

type buildLink struct {
	m    middleware.BuildMiddleware
	next middleware.BuildHandler
}

func (l *buildLink) HandleBuild(ctx context.Context, in middleware.BuildInput) (middleware.BuildOutput, middleware.Metadata, error) {
	return l.m.HandleBuild(ctx, in, l.next)
}

type finalizeLink struct {
	m    middleware.FinalizeMiddleware
	next middleware.FinalizeHandler
}

func (l *finalizeLink) HandleFinalize(ctx context.Context, in middleware.FinalizeInput) (middleware.FinalizeOutput, middleware.Metadata, error) {
	return l.m.HandleFinalize(ctx, in, l.next)
}

type deserializeLink struct {
	m    middleware.DeserializeMiddleware
	next middleware.DeserializeHandler
}

func (l *deserializeLink) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput) (middleware.DeserializeOutput, middleware.Metadata, error) {
	return l.m.HandleDeserialize(ctx, in, l.next)
}
