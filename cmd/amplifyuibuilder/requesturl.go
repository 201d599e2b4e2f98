package main

import (
	"context"
	"sync"

	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/uibuilder-go/amplifyuibuilder"
)

// requestURL remembers the URL of a call's last attempt, so that a failure
// reading the answer's body, which the HTTP client reports without it, can
// name the endpoint URL as the AWS CLI does.
type requestURL struct {
	mu  sync.Mutex
	url string
}

func (r *requestURL) get() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.url
}

// option adds r's middleware to a call.
func (r *requestURL) option(o *amplifyuibuilder.Options) {
	o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
		return stack.Deserialize.Add(r, middleware.After)
	})
}

// ID names the middleware in the stack.
func (r *requestURL) ID() string { return "CLIRecordRequestURL" }

// HandleDeserialize records the request's URL, with neither user
// information nor query, before sending it.
func (r *requestURL) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
	middleware.DeserializeOutput, middleware.Metadata, error,
) {
	if req, ok := in.Request.(*smithyhttp.Request); ok && req.URL != nil {
		r.mu.Lock()
		r.url = sanitizeURL(req.URL.String())
		r.mu.Unlock()
	}
	return next.HandleDeserialize(ctx, in)
}
