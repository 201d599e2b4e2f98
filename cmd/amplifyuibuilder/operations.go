package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/pflag"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/internal/model"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// operationCommand is a command that calls one operation of the service,
// with the AWS CLI's arguments: --provider, the body parameter, the input
// and skeleton options, and the global options. Its names, members and
// descriptions are read from the operation's description in internal/model.
type operationCommand struct {
	model     *model.Operation
	name      string // the command: "exchange-code-for-token"
	operation string // the operation: "ExchangeCodeForToken"
	synopsis  string
	body      structureParam
	// retryReadTimeouts says whether an attempt that timed out waiting for
	// the answer is retried.
	retryReadTimeouts bool
	call              operationCall
}

// operationCall calls an operation with the body's members, given in the
// order of model.Payload.Members, nil when absent.
type operationCall func(ctx context.Context, client *amplifyuibuilder.Client, provider types.TokenProviders, body []*string, optFns ...func(*amplifyuibuilder.Options)) (result, error)

// newOperationCommand returns the command of op, named as the AWS CLI names
// it.
func newOperationCommand(op *model.Operation, retryReadTimeouts bool, call operationCall) operationCommand {
	body := newStructureParam(kebabCase(op.PayloadField), lowerFirst(op.PayloadField), op.Payload)
	return operationCommand{
		model:             op,
		name:              kebabCase(op.Name),
		operation:         op.Name,
		synopsis:          "--provider figma --" + body.flag + " " + body.synopsis(),
		body:              body,
		retryReadTimeouts: retryReadTimeouts,
		call:              call,
	}
}

// The service may have spent the single-use code on an attempt that it did
// not answer in time: a retry would be refused and hide why.
var exchangeCodeForToken = newOperationCommand(model.ExchangeCodeForToken, false,
	func(ctx context.Context, client *amplifyuibuilder.Client, provider types.TokenProviders, body []*string, optFns ...func(*amplifyuibuilder.Options)) (result, error) {
		out, err := client.ExchangeCodeForToken(ctx, &amplifyuibuilder.ExchangeCodeForTokenInput{
			Provider: provider,
			// The order of model.ExchangeCodeForTokenRequestBody.Members.
			Request: &types.ExchangeCodeForTokenRequestBody{Code: body[0], RedirectUri: body[1], ClientId: body[2]},
		}, optFns...)
		if err != nil {
			return nil, err
		}
		return exchangeResult(out), nil
	})

// A refresh token stays valid: retry as the AWS CLI does.
var refreshToken = newOperationCommand(model.RefreshToken, true,
	func(ctx context.Context, client *amplifyuibuilder.Client, provider types.TokenProviders, body []*string, optFns ...func(*amplifyuibuilder.Options)) (result, error) {
		out, err := client.RefreshToken(ctx, &amplifyuibuilder.RefreshTokenInput{
			Provider: provider,
			// The order of model.RefreshTokenRequestBody.Members.
			RefreshTokenBody: &types.RefreshTokenRequestBody{Token: body[0], ClientId: body[1]},
		}, optFns...)
		if err != nil {
			return nil, err
		}
		return refreshResult(out), nil
	})

// operationCommands lists the command of every operation.
var operationCommands = []operationCommand{exchangeCodeForToken, refreshToken}

func exchangeResult(out *amplifyuibuilder.ExchangeCodeForTokenOutput) result {
	// The order of model.ExchangeCodeForTokenOutput.Members.
	return outputResult(model.ExchangeCodeForTokenOutput, out.AccessToken, out.ExpiresIn, out.RefreshToken)
}

func refreshResult(out *amplifyuibuilder.RefreshTokenOutput) result {
	// The order of model.RefreshTokenOutput.Members.
	return outputResult(model.RefreshTokenOutput, out.AccessToken, out.ExpiresIn)
}

// kebabCase turns a Go name into a command line name, as the AWS CLI does:
// "ExchangeCodeForToken" is "exchange-code-for-token", and an initialism is
// one word ("ListAWSAccounts" is "list-aws-accounts").
func kebabCase(name string) string {
	runes := []rune(name)
	var b strings.Builder
	for i, r := range runes {
		if unicode.IsUpper(r) && i > 0 {
			prev := runes[i-1]
			nextLower := i+1 < len(runes) && unicode.IsLower(runes[i+1])
			if !unicode.IsUpper(prev) || nextLower {
				b.WriteByte('-')
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// lowerFirst turns a Go name into its model name: "RefreshTokenBody" is
// "refreshTokenBody".
func lowerFirst(name string) string {
	r, size := utf8.DecodeRuneInString(name)
	return string(unicode.ToLower(r)) + name[size:]
}

// operationFlags are the command line of an operation command.
type operationFlags struct {
	global    globalOptions
	provider  string
	body      string
	inputJSON string
	inputYAML string
	skeleton  string
}

func (c operationCommand) flagSet(f *operationFlags) *pflag.FlagSet {
	fs := newFlagSet(c.name)
	fs.StringVar(&f.provider, "provider", "", "The third-party provider of the token: figma. (required)")
	fs.StringVar(&f.body, c.body.flag, "", "The request body: shorthand name=value,..., JSON, or file://PATH. (required)")
	fs.StringVar(&f.inputJSON, "cli-input-json", "", "Read the parameters from this JSON document (or file://PATH), as --generate-cli-skeleton prints it. Options on the command line win.")
	fs.StringVar(&f.inputYAML, "cli-input-yaml", "", "Read the parameters from this YAML document (or file://PATH), as --generate-cli-skeleton yaml-input prints it.")
	fs.StringVar(&f.skeleton, "generate-cli-skeleton", "", "Print a skeleton instead of calling: input (the default), yaml-input, or output.")
	fs.Lookup("generate-cli-skeleton").NoOptDefVal = "input"
	f.global.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: %s %s %s [options]\n\n", programName, c.name, c.synopsis)
		fmt.Fprintf(fs.Output(), "Calls %s and prints its output, tokens included. Options:\n", c.operation)
		fs.PrintDefaults()
	}
	return fs
}

// skeletonArgs lets --generate-cli-skeleton take its value as the next
// argument, as in the AWS CLI (--generate-cli-skeleton output), although
// the flag alone means input.
func skeletonArgs(args []string) []string {
	out := slices.Clone(args)
	for i := 0; i+1 < len(out); i++ {
		if out[i] == "--generate-cli-skeleton" && !strings.HasPrefix(out[i+1], "-") && out[i+1] != "help" {
			out = slices.Replace(out, i, i+2, out[i]+"="+out[i+1])
		}
	}
	return out
}

func (c operationCommand) run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var f operationFlags
	fs := c.flagSet(&f)
	if exit, done := parseFlags(fs, skeletonArgs(args), stdout, stderr); done {
		return exit
	}
	s, err := f.global.check()
	if err != nil {
		return usageError(stderr, c.name, "%v", err)
	}
	if f.skeleton != "" && !slices.Contains(skeletonChoices, f.skeleton) {
		return usageError(stderr, c.name, "argument --generate-cli-skeleton: Invalid choice %q, valid choices are: %s", f.skeleton, strings.Join(skeletonChoices, ", "))
	}
	switch f.skeleton {
	case "input":
		fmt.Fprint(stdout, c.inputSkeleton())
		return exitOK
	case "yaml-input":
		fmt.Fprint(stdout, c.yamlInputSkeleton())
		return exitOK
	}

	provider, body, err := c.parameters(fs, &f)
	if err != nil {
		return usageError(stderr, c.name, "%v", err)
	}
	if err := f.global.resolveOutput(&s); err != nil {
		return reportConfigError(stderr, err)
	}
	if f.skeleton == "output" {
		return c.print(stdout, stderr, s, c.outputSkeleton())
	}

	client, err := f.global.newClient(ctx, s, stderr)
	if err != nil {
		return reportConfigError(stderr, err)
	}
	var sent requestURL
	optFns := []func(*amplifyuibuilder.Options){sent.option}
	if !c.retryReadTimeouts {
		optFns = append(optFns, func(o *amplifyuibuilder.Options) { o.Retryer = withoutRetryAfterReadTimeout(o.Retryer) })
	}
	out, err := c.call(ctx, client, types.TokenProviders(provider), c.body.values(body), optFns...)
	if err != nil {
		return c.reportCallError(ctx, stderr, sent.get(), err)
	}
	return c.print(stdout, stderr, s, out)
}

// reportCallError prints a failed call on one line, as the AWS CLI words
// it, and returns its exit code.
func (c operationCommand) reportCallError(ctx context.Context, stderr io.Writer, sentTo string, err error) int {
	exit, msg := describeCallError(ctx, c.operation, sentTo, err)
	switch exit {
	case exitInterrupted:
		fmt.Fprintf(stderr, "%s: interrupted\n", programName)
	case exitUsage:
		usageError(stderr, c.name, "%s", msg)
	case exitServiceError:
		fmt.Fprintln(stderr, oneLine(msg))
	default:
		reportError(stderr, "", exit, "%s", msg)
	}
	return exit
}

// print writes an answer through --query and --output.
func (c operationCommand) print(stdout, stderr io.Writer, s settings, out result) int {
	selected, err := s.query.apply(out)
	if err == nil {
		err = writeOutput(stdout, s.output, c.operation, selected, s.query.keyOrders())
	}
	if err != nil {
		return reportError(stderr, "", exitFailure, "%v", err)
	}
	return exitOK
}

// parameters gathers --provider and the body from the command line and
// --cli-input-json or --cli-input-yaml, the command line winning, and names
// every required one that is missing in one message.
func (c operationCommand) parameters(fs *pflag.FlagSet, f *operationFlags) (provider string, body map[string]string, err error) {
	input, err := readCLIInput(f.inputJSON, f.inputYAML)
	if err != nil {
		return "", nil, err
	}
	var problems []string
	var fromInput map[string]any
	if input != nil {
		fromInput = input.values
		for _, name := range slices.Sorted(maps.Keys(fromInput)) {
			if name != "provider" && name != c.body.name {
				problems = append(problems, fmt.Sprintf("Unknown parameter in input: %q, must be one of: provider, %s", name, c.body.name))
			}
		}
	}

	provider = f.provider
	if !fs.Changed("provider") {
		if v, ok := fromInput["provider"]; ok {
			s, isString := v.(string)
			if !isString {
				return "", nil, fmt.Errorf("Parameter validation failed: Invalid type for parameter provider: must be a string")
			}
			provider = s
		}
	}
	switch {
	case fs.Changed(c.body.flag):
		body, err = c.body.parse(f.body)
	case fromInput[c.body.name] != nil:
		object, ok := fromInput[c.body.name].(map[string]any)
		if !ok {
			return "", nil, fmt.Errorf("Parameter validation failed: Invalid type for parameter %s: must be an object", c.body.name)
		}
		body, err = c.body.fromObject(object)
	}
	if err != nil {
		return "", nil, err
	}

	var missing []string
	if provider == "" {
		missing = append(missing, "provider")
	}
	if body == nil {
		missing = append(missing, c.body.name)
	}
	switch {
	case input == nil && len(missing) > 0:
		flags := []string{}
		for _, name := range missing {
			if name == "provider" {
				flags = append(flags, "--provider")
			} else {
				flags = append(flags, "--"+c.body.flag)
			}
		}
		return "", nil, fmt.Errorf("the following arguments are required: %s", strings.Join(flags, ", "))
	case input != nil:
		var all []string
		for _, name := range missing {
			all = append(all, fmt.Sprintf("Missing required parameter in input: %q", name))
		}
		problems = append(all, problems...)
		if len(problems) > 0 {
			return "", nil, fmt.Errorf("Parameter validation failed: %s", strings.Join(problems, "; "))
		}
	}
	return provider, body, nil
}

// reportConfigError prints an error of the configuration and returns its
// exit code.
func reportConfigError(stderr io.Writer, err error) int {
	var cfgErr *configError
	if errors.As(err, &cfgErr) {
		return reportError(stderr, "", cfgErr.exit, "%s", cfgErr.msg)
	}
	return reportError(stderr, "", exitFailure, "%v", err)
}
