package amplifyuibuilder

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// The Amz-Sdk-Invocation-Id header: one random (version 4) UUID per call,
// the same on every attempt, as aws-sdk-go-v2's ClientRequestID middleware
// sends it, under that middleware's ID. The SDK's reads its random bytes
// through an io.Reader, which puts them on the heap, and formats them into
// a string of its own: three allocations per call where one will do.

const invocationIDHeader = "Amz-Sdk-Invocation-Id"

// invocationID is the ClientRequestID middleware.
type invocationID struct{}

func (*invocationID) ID() string { return "ClientRequestID" }

func (*invocationID) HandleBuild(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (
	middleware.BuildOutput, middleware.Metadata, error,
) {
	req, ok := in.Request.(*smithyhttp.Request)
	if !ok {
		return middleware.BuildOutput{}, middleware.Metadata{}, fmt.Errorf("unknown transport type %T", in.Request)
	}
	id, err := getCallState(ctx).invocationID()
	if err != nil {
		return middleware.BuildOutput{}, middleware.Metadata{}, err
	}
	req.Header[invocationIDHeader] = getCallState(ctx).headerValue(headerInvocationID, id)
	return next.HandleBuild(ctx, in)
}

// newUUID returns a random UUID (RFC 9562 version 4), in its lowercase
// 8-4-4-4-12 form.
func newUUID() (string, error) {
	var s [uuidLength]byte
	if err := putUUID(&s); err != nil {
		return "", err
	}
	return string(s[:]), nil
}

const uuidLength = 36

// putUUID writes a new random UUID into s.
func putUUID(s *[uuidLength]byte) error {
	var u [16]byte
	if _, err := rand.Read(u[:]); err != nil {
		return fmt.Errorf("generate invocation id: %w", err)
	}
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // variant 10
	hex.Encode(s[0:8], u[0:4])
	hex.Encode(s[9:13], u[4:6])
	hex.Encode(s[14:18], u[6:8])
	hex.Encode(s[19:23], u[8:10])
	hex.Encode(s[24:], u[10:])
	s[8], s[13], s[18], s[23] = '-', '-', '-', '-'
	return nil
}
