// Command amplifyuibuilder calls the Amplify UI Builder token operations
// from the command line, with the AWS CLI's arguments and output, and runs a
// local endpoint for trying them out:
//
//	amplifyuibuilder exchange-code-for-token --provider figma --request code=...,redirectUri=...
//	amplifyuibuilder refresh-token --provider figma --refresh-token-body token=...
//	amplifyuibuilder serve --addr 127.0.0.1:4566
//	amplifyuibuilder demo
//
// Region and credentials come from the usual AWS sources (environment,
// shared config and credentials files, --profile), as for the AWS CLI.
//
// Exit codes are the AWS CLI's: 0 success, 252 a command line that cannot be
// parsed or a parameter value that is not valid, 253 missing configuration
// (region, credentials, profile), 254 an error answer from the service, 255
// any other failure, 130 interrupted.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// Exit codes, as the AWS CLI documents them.
const (
	exitOK           = 0
	exitInterrupted  = 130
	exitUsage        = 252
	exitConfig       = 253
	exitServiceError = 254
	exitFailure      = 255
)

const programName = "amplifyuibuilder"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"exchange-code-for-token", "Exchange an authorization code for an access token and a refresh token.", exchangeCodeForToken.run},
		{"refresh-token", "Exchange a refresh token for a new access token.", refreshToken.run},
		{"serve", "Run a local Amplify UI Builder endpoint until interrupted.", runServe},
		{"demo", "Exchange a code against an embedded local endpoint, end to end.", runDemo},
	}
}

// run is the whole program: it runs the command args name and returns the
// exit code. Interrupting ctx stops it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printUsage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		printUsage(stdout)
		return exitOK
	}
	for _, cmd := range commands() {
		if cmd.name == args[0] {
			return cmd.run(ctx, args[1:], stdout, stderr)
		}
	}
	return usageError(stderr, "", "unknown command %q; run '%s help' for the list", args[0], programName)
}

func printUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: %s <command> [options]\n\nCommands:\n", programName)
	for _, cmd := range commands() {
		fmt.Fprintf(w, "  %-24s %s\n", cmd.name, cmd.summary)
	}
	fmt.Fprintf(w, "\nRun '%s <command> -h' for the options of a command.\n", programName)
}

// usageError reports a command line that cannot run, on one line.
func usageError(stderr io.Writer, commandName string, format string, args ...any) int {
	return reportError(stderr, commandName, exitUsage, format, args...)
}

// reportError prints "amplifyuibuilder[ command]: error: message" on one line
// and returns exit, the code the program ends with.
func reportError(stderr io.Writer, commandName string, exit int, format string, args ...any) int {
	prefix := programName
	if commandName != "" {
		prefix += " " + commandName
	}
	fmt.Fprintf(stderr, "%s: error: %s\n", prefix, oneLine(fmt.Sprintf(format, args...)))
	return exit
}

// oneLine folds a message onto one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
