package amplifyuibuildertest

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/uibuilder-go/amplifyuibuilder"
)

// Signer returns a SigV4 signer, for amplifyuibuilder.Options.HTTPSignerV4,
// that signs every request at the time now returns instead of the time the
// client asks for. A test whose server runs on a fake clock (WithClock)
// gives its own client Signer(clock) so that its requests are dated by the
// same clock, however far the test moves it:
//
//	clock := newFakeClock()
//	srv := amplifyuibuildertest.NewServer(amplifyuibuildertest.WithClock(clock.Now))
//	client := amplifyuibuilder.New(amplifyuibuilder.Options{
//		// ... srv.URL, srv.Region(), srv.Credentials() ...
//		HTTPSignerV4: amplifyuibuildertest.Signer(clock.Now),
//	})
//
// Server.Client does this by itself when WithClock is set. The signing is
// aws-sdk-go-v2's signer, unchanged.
func Signer(now func() time.Time) amplifyuibuilder.HTTPSignerV4 {
	return clockSigner{now: now, signer: v4.NewSigner()}
}

// clockSigner signs with aws-sdk-go-v2's signer at now's time.
type clockSigner struct {
	now    func() time.Time
	signer *v4.Signer
}

// SignHTTP signs r at the clock's time; signingTime is ignored.
func (s clockSigner) SignHTTP(ctx context.Context, creds aws.Credentials, r *http.Request, payloadHash, service, region string,
	_ time.Time, optFns ...func(*v4.SignerOptions),
) error {
	return s.signer.SignHTTP(ctx, creds, r, payloadHash, service, region, s.now(), optFns...)
}
