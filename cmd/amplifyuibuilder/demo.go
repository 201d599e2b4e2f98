package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go/middleware"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
	"github.com/uibuilder-go/amplifyuibuilder/internal/model"
	"github.com/uibuilder-go/amplifyuibuilder/internal/redact"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

const demoRedirectURI = "https://example.com/figma/callback"

// runDemo does the library's main job end to end on an embedded local
// endpoint: it issues a code, exchanges it through the real client over HTTP
// with SigV4, refreshes the access token, and shows that the code cannot be
// used twice. It reads no AWS configuration, and prints no token.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("demo")
	web := fs.Bool("web", false, "Serve the connect-Figma flow for a browser instead, until interrupted.")
	webAddr := fs.String("addr", "127.0.0.1:0", "With --web, the loopback address to serve on, HOST:PORT; port 0 picks a free port.")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: %s demo [--web [--addr 127.0.0.1:PORT]]\n\nExchanges a code against an embedded local endpoint, end to end.\n", programName)
		fs.PrintDefaults()
	}
	if exit, done := parseFlags(fs, args, stdout, stderr); done {
		return exit
	}
	if *web {
		return runWebDemo(ctx, *webAddr, stdout, stderr)
	}
	if err := demo(ctx, stdout); err != nil {
		return reportError(stderr, "demo", exitFailure, "%v", err)
	}
	return exitOK
}

func demo(ctx context.Context, stdout io.Writer) error {
	srv := amplifyuibuildertest.NewServer()
	defer srv.Close()
	// The client takes the server's own credentials and region, not the
	// machine's AWS configuration: the demo works where there is none.
	client := srv.Client()
	fmt.Fprintf(stdout, "Started a local Amplify UI Builder endpoint at %s (region %s).\n", srv.URL, srv.Region())
	code := srv.IssueCode(demoRedirectURI)
	fmt.Fprintf(stdout, "Issued a single-use authorization code for %s.\n", demoRedirectURI)

	exchangeInput := &amplifyuibuilder.ExchangeCodeForTokenInput{
		Provider: types.TokenProvidersFigma,
		Request:  &types.ExchangeCodeForTokenRequestBody{Code: aws.String(code), RedirectUri: aws.String(demoRedirectURI)},
	}
	fmt.Fprintf(stdout, "\n%s: %s, signed with SigV4\n", model.ExchangeCodeForToken.Name, demoRequestLine(model.ExchangeCodeForToken))
	exchanged, err := client.ExchangeCodeForToken(ctx, exchangeInput)
	if err != nil {
		return err
	}
	if err := printRedacted(stdout, exchangeResult(exchanged), exchanged.ResultMetadata); err != nil {
		return err
	}

	fmt.Fprintf(stdout, "\n%s: %s, with the refresh token\n", model.RefreshToken.Name, demoRequestLine(model.RefreshToken))
	refreshed, err := client.RefreshToken(ctx, &amplifyuibuilder.RefreshTokenInput{
		Provider:         types.TokenProvidersFigma,
		RefreshTokenBody: &types.RefreshTokenRequestBody{Token: exchanged.RefreshToken},
	})
	if err != nil {
		return err
	}
	if err := printRedacted(stdout, refreshResult(refreshed), refreshed.ResultMetadata); err != nil {
		return err
	}

	fmt.Fprintf(stdout, "\n%s again with the same code\n", model.ExchangeCodeForToken.Name)
	_, err = client.ExchangeCodeForToken(ctx, exchangeInput)
	var invalid *types.InvalidParameterException
	var respErr *awshttp.ResponseError
	if !errors.As(err, &invalid) || !errors.As(err, &respErr) {
		return fmt.Errorf("reusing the code should fail with *types.InvalidParameterException, got %v", err)
	}
	fmt.Fprintf(stdout, "Rejected, as it should be: %T (HTTP %d, request id %s)\n  %s\n",
		invalid, respErr.HTTPStatusCode(), respErr.ServiceRequestID(), invalid.ErrorMessage())
	fmt.Fprintln(stdout, "\nDone: the code was exchanged once, over HTTP with SigV4, and never again.")
	return nil
}

// demoRequestLine is the method and path of the demo's call of op.
func demoRequestLine(op *model.Operation) string {
	return op.Method + " " + op.PathPrefix + string(types.TokenProvidersFigma) + op.PathSuffix
}

// printRedacted prints a result as --output json would, with the secret
// members replaced by a marker, and the request id of the call.
func printRedacted(w io.Writer, r result, metadata middleware.Metadata) error {
	secrets := model.SensitiveNames()
	for name := range r {
		if secrets[name] {
			r[name] = redact.Marker
		}
	}
	if err := writeOutput(w, "json", "", map[string]any(r), nil); err != nil {
		return err
	}
	if id, ok := awsmiddleware.GetRequestIDMetadata(metadata); ok {
		fmt.Fprintf(w, "request id: %s\n", id)
	}
	return nil
}
