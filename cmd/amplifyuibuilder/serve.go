package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
)

// defaultServeAddr is where serve listens unless --addr says otherwise: a
// fixed port, so that the printed environment stays right across restarts,
// and not LocalStack's 4566 (nor its 4510-4559 range), which is often taken
// on the machines that would run both.
const defaultServeAddr = "127.0.0.1:4599"

// maxLoggedPath is how much of a request's path a log line shows.
const maxLoggedPath = 200

// runServe runs the local endpoint on a real listener until ctx ends, and
// prints what a client needs to use it, then one line per request on stderr.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", defaultServeAddr, "The address to listen on, HOST:PORT; port 0 picks a free port.")
	region := fs.String("region", "", "Accept only requests signed for this Region (default: every Region).")
	redirectURI := fs.String("redirect-uri", "http://localhost:3000/callback", "The redirect URI of the codes issued at start and of the printed authorize URL.")
	codes := fs.Int("codes", 3, "How many single-use authorization codes to issue at start.")
	autoApprove := fs.Bool("auto-approve", false, "Make the authorize page redirect with a code at once, without the Allow click.")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: %s serve [--addr %s] [options]\n\n", programName, defaultServeAddr)
		fmt.Fprintln(fs.Output(), "Runs a local Amplify UI Builder endpoint until interrupted, and logs one line per request on stderr. Options:")
		fs.PrintDefaults()
	}
	if exit, done := parseFlags(fs, args, stdout, stderr); done {
		return exit
	}
	if *codes < 0 {
		return usageError(stderr, "serve", "argument --codes: must be 0 or more")
	}
	if u, err := url.Parse(*redirectURI); err != nil || !u.IsAbs() {
		return usageError(stderr, "serve", "argument --redirect-uri: must be an absolute URI")
	}

	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		return reportError(stderr, "serve", exitFailure, "%v", err)
	}
	opts := []amplifyuibuildertest.Option{
		amplifyuibuildertest.WithListener(listener),
		amplifyuibuildertest.WithRequestHook(requestLogger(stderr)),
	}
	if *region != "" {
		opts = append(opts, amplifyuibuildertest.WithRegion(*region))
	}
	if *autoApprove {
		opts = append(opts, amplifyuibuildertest.WithAutoApprove())
	}
	if !amplifyuibuildertest.IsLoopbackRedirectURI(*redirectURI) {
		// The authorize page redirects to loopback URIs only, unless told.
		opts = append(opts, amplifyuibuildertest.WithRedirectURIs(*redirectURI))
	}
	srv := amplifyuibuildertest.NewServer(opts...)
	defer srv.Close()
	if ip := listener.Addr().(*net.TCPAddr).IP; !ip.IsLoopback() {
		fmt.Fprintf(stderr, "warning: listening on %s, beyond this machine: anyone who reaches it can use the test credentials below\n", listener.Addr())
	}

	printBanner(stdout, srv, *region, *redirectURI, *autoApprove)
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
		fmt.Fprintf(stdout, "  aws amplifyuibuilder exchange-code-for-token --endpoint-url %s --provider figma --request code=CODE,redirectUri=%s\n",
			srv.URL, *redirectURI)
	}
	fmt.Fprintln(stdout, "\nServing until interrupted (Ctrl-C). One line per request goes to stderr.")

	<-ctx.Done()
	fmt.Fprintln(stdout, "Stopped.")
	return exitOK
}

// printBanner prints where the endpoint is, the environment that points
// clients at it, and how to mint codes while it runs.
func printBanner(stdout io.Writer, srv *amplifyuibuildertest.Server, region, redirectURI string, autoApprove bool) {
	creds := srv.Credentials()
	fmt.Fprintf(stdout, "Amplify UI Builder local endpoint: %s\n", srv.URL)
	if region != "" {
		fmt.Fprintf(stdout, "Region: %s only\n\n", region)
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
	fmt.Fprintln(stdout, "AWS CLI versions before 2.13 ignore AWS_ENDPOINT_URL_AMPLIFYUIBUILDER: give them the endpoint on each command:")
	fmt.Fprintf(stdout, "  aws amplifyuibuilder <command> --endpoint-url %s ...\n", srv.URL)

	authorize := srv.AuthorizeURL() + "?" + url.Values{
		"client_id":     {"local-client"},
		"redirect_uri":  {redirectURI},
		"scope":         {"files:read"},
		"state":         {"serve"},
		"response_type": {"code"},
	}.Encode()
	if autoApprove {
		fmt.Fprintln(stdout, "\nA new code at any time: each visit to the authorize page redirects at once to the redirect URI with ?code=...:")
		fmt.Fprintf(stdout, "  %s\n", authorize)
		fmt.Fprintf(stdout, "  curl -s -o /dev/null -w '%%{redirect_url}\\n' '%s'\n", authorize)
	} else {
		fmt.Fprintln(stdout, "\nA new code at any time: open the authorize page in a browser; Allow redirects to the redirect URI with ?code=...:")
		fmt.Fprintf(stdout, "  %s\n", authorize)
	}
}

// requestLogger returns the hook that logs one line per request on w: when
// it arrived, method, path, operation, the region it was signed for, status
// ("dropped" when there was no answer) and error code, and request id; "-"
// stands for a value the request has not. The line never holds a header, a body or
// a query string, so it shows no credential, signature, code, state or
// token.
func requestLogger(w io.Writer) func(amplifyuibuildertest.Request) {
	logger := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			builtIn := (a.Key == slog.TimeKey && a.Value.Kind() == slog.KindTime) || a.Key == slog.LevelKey
			if len(groups) == 0 && builtIn {
				return slog.Attr{} // the request's own time is logged instead
			}
			return a
		},
	}))
	return func(r amplifyuibuildertest.Request) {
		path := r.Path
		if len(path) > maxLoggedPath {
			path = path[:maxLoggedPath] + "..."
		}
		status := "dropped"
		if r.Status != 0 {
			status = strconv.Itoa(r.Status)
		}
		logger.Info("request",
			slog.String("time", r.Time.UTC().Format(time.RFC3339Nano)),
			slog.String("method", orDash(r.Method)),
			slog.String("path", orDash(path)),
			slog.String("operation", orDash(r.Operation)),
			slog.String("region", orDash(r.Region)),
			slog.String("status", status),
			slog.String("error", orDash(r.ErrorCode)),
			slog.String("request_id", orDash(r.RequestID)),
		)
	}
}

// orDash returns s, or "-" for a value that is empty.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
