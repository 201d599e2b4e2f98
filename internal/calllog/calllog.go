// Package calllog carries what a call's log lines should name beyond the
// operation: the request id of the last response, which is known only after
// an attempt returns, while the call's context was made before.
package calllog

import (
	"context"
	"sync/atomic"
)

// Info is the mutable log state of one call.
type Info struct {
	requestID atomic.Pointer[string]
}

type infoKey struct{}

// With returns a context carrying a new Info for one call.
func With(ctx context.Context) (context.Context, *Info) {
	info := &Info{}
	return context.WithValue(ctx, infoKey{}, info), info
}

// From returns the call's Info, or nil outside a logged call.
func From(ctx context.Context) *Info {
	info, _ := ctx.Value(infoKey{}).(*Info)
	return info
}

// SetRequestID records the request id of the latest response.
func (i *Info) SetRequestID(id string) {
	if i != nil && id != "" {
		i.requestID.Store(&id)
	}
}

// RequestID returns the request id of the latest response, or "".
func (i *Info) RequestID() string {
	if i == nil {
		return ""
	}
	if id := i.requestID.Load(); id != nil {
		return *id
	}
	return ""
}
