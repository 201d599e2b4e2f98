package main

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/spf13/pflag"
)

// newFlagSet returns an empty flag set for a command: GNU-style flags
// (--name value, --name=value) that may come anywhere on the line, listed in
// the order they were defined.
func newFlagSet(name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SortFlags = false
	fs.SetOutput(io.Discard)
	fs.Bool("version", false, "Print the version and exit, as anywhere on the line in the AWS CLI.")
	return fs
}

// parseFlags parses a command's flags as the AWS CLI parses a command line.
// -h, --help or a "help" argument prints the command's usage on stdout.
// Every option the command does not know and every extra argument is
// reported in one message, as the AWS CLI reports them ("Unknown options:
// --bogus, extra"). done says the command must stop, with the exit code.
func parseFlags(fs *pflag.FlagSet, args []string, stdout, stderr io.Writer) (exit int, done bool) {
	unknown, help := scanArgs(fs, args)
	if help {
		fs.SetOutput(stdout)
		fs.Usage()
		return exitOK, true
	}
	if len(unknown) > 0 {
		return usageError(stderr, fs.Name(), "Unknown options: %s", strings.Join(unknown, ", ")), true
	}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, pflag.ErrHelp):
		fs.SetOutput(stdout)
		fs.Usage()
		return exitOK, true
	case err != nil:
		if name, ok := strings.CutPrefix(err.Error(), "flag needs an argument: "); ok {
			return usageError(stderr, fs.Name(), "argument %s: expected one argument", name), true
		}
		return usageError(stderr, fs.Name(), "%v", err), true
	}
	if version, _ := fs.GetBool("version"); version {
		fmt.Fprintln(stdout, versionLine())
		return exitOK, true
	}
	return exitOK, false
}

// scanArgs finds the options that fs does not define and the arguments that
// are not an option's value, and whether help was asked for. An unknown
// option is named without its value, and an extra argument is quoted only
// when it is a short word: either may be a secret typed in the wrong place.
func scanArgs(fs *pflag.FlagSet, args []string) (unknown []string, help bool) {
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "--":
			for _, rest := range args[i+1:] {
				unknown = append(unknown, describeArg(rest))
			}
			return unknown, help
		case arg == "-h" || arg == "--help":
			help = true
		case strings.HasPrefix(arg, "--"):
			name, _, hasValue := strings.Cut(arg[2:], "=")
			f := fs.Lookup(name)
			if f == nil {
				unknown = append(unknown, "--"+describeName(name))
				// The value an unknown option was probably given is not
				// an argument of its own.
				if !hasValue && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
					i++
				}
			} else if !hasValue && f.NoOptDefVal == "" {
				i++ // the option's value
			}
		case strings.HasPrefix(arg, "-") && len(arg) > 1:
			unknown = append(unknown, "-"+describeName(arg[1:]))
		case arg == "help":
			help = true
		default:
			unknown = append(unknown, describeArg(arg))
		}
	}
	return unknown, help
}

// shortWord is an argument that can be quoted back: too short and too plain
// to be a code, a token or a key.
var shortWord = regexp.MustCompile(`^[A-Za-z0-9_.:/-]{1,16}$`)

// flagName is an unknown option's name that can be quoted back: lowercase
// words and dashes, as options are named.
var flagName = regexp.MustCompile(`^[a-z0-9-]{1,40}$`)

// describeArg quotes an extra argument back only when it is a short word.
func describeArg(arg string) string {
	if shortWord.MatchString(arg) {
		return arg
	}
	return fmt.Sprintf("(an argument of %d characters, not shown)", len(arg))
}

// describeName quotes an unknown option's name back only when it looks like
// one.
func describeName(name string) string {
	if shortWord.MatchString(name) || flagName.MatchString(name) {
		return name
	}
	return fmt.Sprintf("(%d characters, not shown)", len(name))
}
