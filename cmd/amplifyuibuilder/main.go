// Command amplifyuibuilder calls the Amplify UI Builder token operations
// from the command line, with the AWS CLI's arguments and output, and runs a
// local endpoint for trying them out:
//
//	amplifyuibuilder exchange-code-for-token --provider figma --request code=...,redirectUri=...
//	amplifyuibuilder refresh-token --provider figma --refresh-token-body token=...
//	amplifyuibuilder serve
//	amplifyuibuilder demo
//
// Region and credentials come from the usual AWS sources (environment,
// shared config and credentials files, --profile), as for the AWS CLI.
//
// Options are GNU-style (--name value or --name=value), anywhere on the line,
// and take the AWS CLI's meanings: --query, --output, --cli-input-json,
// --generate-cli-skeleton and the rest; "amplifyuibuilder COMMAND help"
// lists them.
//
// Exit codes are the AWS CLI's (as AWS CLI 2.9 gives them): 0 success, 252 a
// command line that cannot be parsed or a parameter value that is not valid,
// 253 missing configuration (no region, no credentials), 254 an error answer
// from the service, 255 any other failure (connection failures and timeouts,
// and also an unknown profile or a region name of the wrong form, as in the
// AWS CLI), 130 interrupted. Under "go run", the go command reports the code
// and exits 1 itself: scripts that check it run a built binary.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"

	"github.com/spf13/pflag"
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
		{exchangeCodeForToken.name, "Exchange an authorization code for an access token and a refresh token.", exchangeCodeForToken.run},
		{refreshToken.name, "Exchange a refresh token for a new access token.", refreshToken.run},
		{"serve", "Run a local Amplify UI Builder endpoint until interrupted.", runServe},
		{"demo", "Exchange a code against an embedded local endpoint, end to end.", runDemo},
	}
}

// run is the whole program: it runs the command args name and returns the
// exit code. Interrupting ctx stops it. As in the AWS CLI, global options may
// come before the command's name.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	name, rest := splitCommand(args)
	switch name {
	case "":
		if slices.Contains(args, "--version") {
			fmt.Fprintln(stdout, versionLine())
			return exitOK
		}
		if slices.ContainsFunc(args, isHelpArg) {
			printUsage(stdout)
			return exitOK
		}
		printUsage(stderr)
		return exitUsage
	case "help":
		if len(rest) > 0 {
			// "help COMMAND" is "COMMAND help".
			return run(ctx, []string{rest[0], "help"}, stdout, stderr)
		}
		printUsage(stdout)
		return exitOK
	}
	for _, cmd := range commands() {
		if cmd.name == name {
			return cmd.run(ctx, rest, stdout, stderr)
		}
	}
	return usageError(stderr, "", "unknown command %q; run '%s help' for the list", name, programName)
}

// splitCommand finds the command's name among args, after any global
// options, and returns it with the other arguments in their order. It
// returns "" when args name no command.
func splitCommand(args []string) (name string, rest []string) {
	var global globalOptions
	fs := pflag.NewFlagSet("", pflag.ContinueOnError)
	global.register(fs)
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			return arg, append(slices.Clone(args[:i]), args[i+1:]...)
		}
		flagName, _, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if f := fs.Lookup(flagName); f != nil && f.NoOptDefVal == "" && !hasValue && strings.HasPrefix(arg, "--") {
			i++ // the option's value
		}
	}
	return "", nil
}

func isHelpArg(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "help"
}

// versionLine is what --version prints, in the AWS CLI's form
// (aws-cli/2.9.19 Python/3.11.2 Linux/6.1 ...): this program's module
// version, "(devel)" when built in a clone, then Go's and the platform's.
func versionLine() string {
	version := "(devel)"
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		version = info.Main.Version
	}
	return fmt.Sprintf("%s/%s Go/%s %s/%s", programName, version, strings.TrimPrefix(runtime.Version(), "go"), runtime.GOOS, runtime.GOARCH)
}

func printUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: %s [options] <command> [parameters]\n\nCommands:\n", programName)
	for _, cmd := range commands() {
		fmt.Fprintf(w, "  %-24s %s\n", cmd.name, cmd.summary)
	}
	fmt.Fprintf(w, "\nRun '%s <command> help' for the options of a command, and '%s --version' for the version.\n", programName, programName)
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
