package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"

	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
)

// runServe runs the local endpoint on a real listener until ctx ends, and
// prints what a client needs to use it.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "The address to listen on, HOST:PORT; port 0 picks a free port.")
	region := fs.String("region", "", "Accept only requests signed for this Region (default: every Region).")
	redirectURI := fs.String("redirect-uri", "http://localhost:3000/callback", "The redirect URI of the authorization codes issued at start.")
	codes := fs.Int("codes", 3, "How many single-use authorization codes to issue at start.")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: %s serve [--addr 127.0.0.1:PORT] [options]\n\n", programName)
		fmt.Fprintln(fs.Output(), "Runs a local Amplify UI Builder endpoint until interrupted. Options:")
		fs.PrintDefaults()
	}
	if exit, done := parseFlags(fs, args, stdout, stderr); done {
		return exit
	}
	if *codes < 0 {
		return usageError(stderr, "serve", "argument --codes: must be 0 or more")
	}

	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		return reportError(stderr, "serve", exitFailure, "%v", err)
	}
	opts := []amplifyuibuildertest.Option{amplifyuibuildertest.WithListener(listener)}
	if *region != "" {
		opts = append(opts, amplifyuibuildertest.WithRegion(*region))
	}
	srv := amplifyuibuildertest.NewServer(opts...)
	defer srv.Close()
	if ip := listener.Addr().(*net.TCPAddr).IP; !ip.IsLoopback() {
		fmt.Fprintf(stderr, "warning: listening on %s, beyond this machine: anyone who reaches it can use the test credentials below\n", listener.Addr())
	}

	creds := srv.Credentials()
	fmt.Fprintf(stdout, "Amplify UI Builder local endpoint: %s\n", srv.URL)
	if *region != "" {
		fmt.Fprintf(stdout, "Region: %s only\n\n", *region)
	} else {
		fmt.Fprintln(stdout, "Region: any (requests signed for every Region are accepted; --region pins one)")
		fmt.Fprintln(stdout)
	}
	fmt.Fprintln(stdout, "Point the AWS SDKs, the AWS CLI or this command at it with:")
	fmt.Fprintf(stdout, "  export AWS_ACCESS_KEY_ID=%s\n", creds.AccessKeyID)
	fmt.Fprintf(stdout, "  export AWS_SECRET_ACCESS_KEY=%s\n", creds.SecretAccessKey)
	fmt.Fprintln(stdout, "  unset AWS_SESSION_TOKEN AWS_PROFILE")
	fmt.Fprintf(stdout, "  export AWS_REGION=%s\n", srv.Region())
	fmt.Fprintf(stdout, "  export AWS_ENDPOINT_URL_AMPLIFYUIBUILDER=%s\n", srv.URL)
	if *codes > 0 {
		fmt.Fprintf(stdout, "\nSingle-use authorization codes for redirect URI %s:\n", *redirectURI)
		var first string
		for i := range *codes {
			code := srv.IssueCode(*redirectURI)
			if i == 0 {
				first = code
			}
			fmt.Fprintf(stdout, "  %s\n", code)
		}
		fmt.Fprintf(stdout, "\nTry:\n  %s exchange-code-for-token --provider figma --request code=%s,redirectUri=%s\n",
			programName, first, *redirectURI)
	}
	fmt.Fprintln(stdout, "\nServing until interrupted (Ctrl-C).")

	<-ctx.Done()
	fmt.Fprintln(stdout, "Stopped.")
	return exitOK
}
