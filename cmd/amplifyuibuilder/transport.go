package main

import (
	"net"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// newHTTPClient returns the SDK's HTTP client with the AWS CLI's two
// timeouts, both per attempt: connectTimeout bounds each connection's dial
// (--cli-connect-timeout); readTimeout bounds each wait for bytes from the
// server (--cli-read-timeout), as a socket timeout does in the AWS CLI, so a
// server that accepts the connection and then says nothing fails the attempt
// after readTimeout with an *awshttp.ResponseTimeoutError. Zero means no
// limit for either.
func newHTTPClient(connectTimeout, readTimeout time.Duration) *awshttp.BuildableClient {
	return awshttp.NewBuildableClient().
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = connectTimeout }).
		WithReadTimeout(readTimeout)
}
