package amplifyuibuilder

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	smithy "github.com/aws/smithy-go"
	smithyauth "github.com/aws/smithy-go/auth"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/tracing"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/uibuilder-go/amplifyuibuilder/internal/endpointrules"
)

// The last two middleware of every attempt before it is sent:
// ComputePayloadHash puts the body's hash into the context with
// v4.SetPayloadHash, under the ID and with the contract of the SDK's own
// v4.ComputePayloadSHA256 (so that v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware,
// v4.AddContentSHA256HeaderMiddleware and v4.RemoveComputePayloadSHA256Middleware
// work as with any aws-sdk-go-v2 client), and Signing signs the attempt with
// the scheme and identity that auth.go resolved, with a fresh X-Amz-Date.

// computePayloadHash is the ComputePayloadHash middleware. On every attempt
// it does what v4.ComputePayloadSHA256 does: nothing when the context already
// has a payload hash, otherwise it sets the hex SHA-256 of the request's
// stream from where it stands and rewinds the stream. When the stream is
// still the serializer's payload, unread, that is the hash of the payload's
// bytes, which the payload computes once per call (payload.sha256Hex) instead
// of once per attempt through a sha256 digest, its sum and a hex copy. Any
// other stream (a stack function replaced the body, or read some of it) goes
// to the SDK's middleware itself.
type computePayloadHash struct{}

// sdkComputePayloadHash hashes every stream the payload's shortcut does not.
var sdkComputePayloadHash = &v4.ComputePayloadSHA256{}

func (*computePayloadHash) ID() string { return "ComputePayloadHash" }

func (m *computePayloadHash) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
	middleware.FinalizeOutput, middleware.Metadata, error,
) {
	if v4.GetPayloadHash(ctx) != "" {
		return next.HandleFinalize(ctx, in)
	}
	req, ok := in.Request.(*smithyhttp.Request)
	if !ok {
		return sdkComputePayloadHash.HandleFinalize(ctx, in, next)
	}
	p, ok := req.GetStream().(*payload)
	if !ok || p.Len() != len(p.body) {
		return sdkComputePayloadHash.HandleFinalize(ctx, in, next)
	}

	// What v4.ComputePayloadSHA256 does with this stream, span included.
	_, span := tracing.StartSpan(ctx, "ComputePayloadSHA256")
	defer span.End()
	if err := req.RewindStream(); err != nil {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, &v4.HashComputationError{
			Err: fmt.Errorf("failed to seek body to start, %w", err),
		}
	}
	ctx = v4.SetPayloadHash(ctx, p.sha256Hex())
	span.End()
	return next.HandleFinalize(ctx, in)
}

// signingName is the SigV4 service name and the endpoint prefix.
const signingName = "amplifyuibuilder"

// signRequest is the Signing middleware.
type signRequest struct {
	sigV4 *sigV4Signer // signs for the resolved sigV4Scheme, with the call's options
}

func (*signRequest) ID() string { return "Signing" }

func (m *signRequest) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
	middleware.FinalizeOutput, middleware.Metadata, error,
) {
	req, ok := in.Request.(*smithyhttp.Request)
	if !ok {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, fmt.Errorf("unexpected transport type %T", in.Request)
	}
	attempt, scheme, err := resolvedAttemptOf(ctx)
	if err != nil {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, err
	}
	if attempt.identity == nil {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, fmt.Errorf("no identity")
	}
	if scheme.scheme.SchemeID() == smithyauth.SchemeIDAnonymous {
		return next.HandleFinalize(ctx, in)
	}

	_, span := tracing.StartSpan(ctx, "SignRequest")
	if _, ours := scheme.scheme.(*sigV4Scheme); ours {
		err = m.sigV4.SignRequest(ctx, req, attempt.identity, scheme.signerProperties)
	} else if signer := scheme.scheme.Signer(); signer == nil {
		err = fmt.Errorf("no signer")
	} else {
		start := m.sigV4.telemetry.start()
		err = signer.SignRequest(ctx, req, attempt.identity, scheme.signerProperties)
		m.sigV4.telemetry.since(ctx, m.sigV4.telemetry.signingDuration, start)
	}
	span.End()
	if err != nil {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, fmt.Errorf("sign request: %w", err)
	}

	out, metadata, err := next.HandleFinalize(ctx, in)
	// The retry middleware stores the skew only when the call ends; the SDK's
	// own signer gets each attempt's skew through an internal context value.
	// Storing what this attempt observed lets the retry of a request rejected
	// for clock skew be signed with the corrected time, as in aws-sdk-go-v2.
	if m.sigV4.clockSkew != nil {
		if skew, ok := awsmiddleware.GetAttemptSkew(metadata); ok {
			m.sigV4.clockSkew.Store(int64(skew))
		}
	}
	return out, metadata, err
}

// sigV4Signer signs with an HTTPSignerV4, correcting the signing time by the
// client's observed clock skew, and logs the signing with the credentials
// redacted: the v4.Signer's own LogSigning prints the canonical request,
// session token included.
type sigV4Signer struct {
	signer     HTTPSignerV4
	clockSkew  *atomic.Int64 // nil: no skew correction
	logSigning bool
	telemetry  *telemetry
}

func newSigV4Signer(o Options, clockSkew *atomic.Int64, t *telemetry) *sigV4Signer {
	s := &sigV4Signer{signer: o.HTTPSignerV4, logSigning: o.ClientLogMode.IsSigning(), telemetry: t}
	if !o.DisableClockSkewCorrection {
		s.clockSkew = clockSkew
	}
	return s
}

// SignRequest signs r with the credentials identity for the signing name and
// region of props, unless the context overrides them
// (WithSigV4SigningName, WithSigV4SigningRegion, a legacy endpoint
// resolver), over the payload hash ComputePayloadHash put in the context.
func (s *sigV4Signer) SignRequest(ctx context.Context, r *smithyhttp.Request, identity smithyauth.Identity, props smithy.Properties) error {
	creds, ok := identity.(*credentialsIdentity)
	if !ok {
		return fmt.Errorf("unexpected identity type: %T", identity)
	}
	name := awsmiddleware.GetSigningName(ctx)
	if name == "" {
		name, _ = smithyhttp.GetSigV4SigningName(&props)
	}
	region := awsmiddleware.GetSigningRegion(ctx)
	if region == "" {
		region, _ = smithyhttp.GetSigV4SigningRegion(&props)
	}
	var optFns []func(*v4.SignerOptions)
	if disable, ok := smithyhttp.GetDisableDoubleEncoding(&props); ok {
		optFns = append(optFns, func(o *v4.SignerOptions) { o.DisableURIPathEscaping = disable })
	}
	signingTime := time.Now().UTC()
	if s.clockSkew != nil {
		signingTime = signingTime.Add(time.Duration(s.clockSkew.Load()))
	}
	start := s.telemetry.start()
	err := s.signer.SignHTTP(ctx, creds.Credentials, r.Request, v4.GetPayloadHash(ctx), name, region, signingTime, optFns...)
	s.telemetry.since(ctx, s.telemetry.signingDuration, start)
	if err != nil {
		return fmt.Errorf("failed to sign request: %w", err)
	}
	if s.logSigning {
		middleware.GetLogger(ctx).Logf(logging.Debug, "%s", signingLogLine(r.Header))
	}
	return nil
}

// signingRegion is the region requests are signed for unless an override or
// a legacy resolver says otherwise: the client's Region, with a FIPS
// pseudo-region ("fips-us-east-1") replaced by the region it names, which is
// the region of the endpoint the request goes to. The service knows no region
// called "fips-us-east-1" and would reject a credential scoped to it.
func signingRegion(region string) string {
	if mapped, _, err := endpointrules.BindRegion(region); err == nil && mapped != "" {
		return mapped
	}
	return region
}
