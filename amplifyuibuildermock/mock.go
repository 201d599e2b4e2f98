// Package amplifyuibuildermock is a testify mock of the Amplify UI Builder
// token operations, for unit tests of code that takes an
// amplifyuibuilder.ExchangeCodeForTokenAPI or amplifyuibuilder.RefreshTokenAPI.
//
// Set expectations on the method name, with the context and the input (or
// mock.Anything), and return an output and an error:
//
//	api := amplifyuibuildermock.NewClient(t)
//	api.On("ExchangeCodeForToken", mock.Anything, mock.Anything).
//		Return(&amplifyuibuilder.ExchangeCodeForTokenOutput{AccessToken: aws.String("token")}, nil)
//
// Option functions passed to a call are matched as further arguments, after
// the input. testify lets mock.Anything also stand for a missing argument,
// so when expectations differ only by their option functions, set the one
// with fewer arguments first. Instead of an output, Return may be given a
// function with the method's signature, which computes the output and the
// error from the call's arguments.
//
// To test against the wire protocol instead (signing, retries, service
// errors), point a real client at an amplifyuibuildertest.Server.
package amplifyuibuildermock

import (
	"context"

	"github.com/stretchr/testify/mock"

	"github.com/uibuilder-go/amplifyuibuilder"
)

// Client is a mock of the client's token operations.
type Client struct {
	mock.Mock
}

var (
	_ amplifyuibuilder.ExchangeCodeForTokenAPI = (*Client)(nil)
	_ amplifyuibuilder.RefreshTokenAPI         = (*Client)(nil)
)

// NewClient returns a mock that fails t, when the test ends, if an
// expectation set with On was not met.
func NewClient(t interface {
	mock.TestingT
	Cleanup(func())
}) *Client {
	m := &Client{}
	m.Test(t)
	t.Cleanup(func() { m.AssertExpectations(t) })
	return m
}

// ExchangeCodeForToken records the call and returns what the matching
// expectation says.
func (m *Client) ExchangeCodeForToken(ctx context.Context, params *amplifyuibuilder.ExchangeCodeForTokenInput, optFns ...func(*amplifyuibuilder.Options)) (*amplifyuibuilder.ExchangeCodeForTokenOutput, error) {
	return called[amplifyuibuilder.ExchangeCodeForTokenOutput](m, "ExchangeCodeForToken", ctx, params, optFns)
}

// RefreshToken records the call and returns what the matching expectation
// says.
func (m *Client) RefreshToken(ctx context.Context, params *amplifyuibuilder.RefreshTokenInput, optFns ...func(*amplifyuibuilder.Options)) (*amplifyuibuilder.RefreshTokenOutput, error) {
	return called[amplifyuibuilder.RefreshTokenOutput](m, "RefreshToken", ctx, params, optFns)
}

// called records a call of method with its arguments as expectations match
// them (the context, the input, then each option function) and returns the
// expectation's output and error, or what its function computes.
func called[Out, In any](m *Client, method string, ctx context.Context, params *In, optFns []func(*amplifyuibuilder.Options)) (*Out, error) {
	args := []any{ctx, params}
	for _, fn := range optFns {
		args = append(args, fn)
	}
	result := m.MethodCalled(method, args...)
	if fn, ok := result.Get(0).(func(context.Context, *In, ...func(*amplifyuibuilder.Options)) (*Out, error)); ok {
		return fn(ctx, params, optFns...)
	}
	out, _ := result.Get(0).(*Out)
	return out, result.Error(1)
}
