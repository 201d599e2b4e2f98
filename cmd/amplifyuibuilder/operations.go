package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	smithy "github.com/aws/smithy-go"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// operationCommand is a command that calls one operation of the service,
// with the AWS CLI's arguments: --provider, the body parameter, and the
// global options.
type operationCommand struct {
	name      string
	operation string
	synopsis  string
	body      structureParam
	call      func(ctx context.Context, client *amplifyuibuilder.Client, provider types.TokenProviders, body map[string]string) (result, error)
}

var exchangeCodeForToken = operationCommand{
	name:      "exchange-code-for-token",
	operation: "ExchangeCodeForToken",
	synopsis:  "--provider figma --request code=CODE,redirectUri=URI[,clientId=ID]",
	body:      structureParam{flag: "request", members: []string{"code", "redirectUri", "clientId"}},
	call: func(ctx context.Context, client *amplifyuibuilder.Client, provider types.TokenProviders, body map[string]string) (result, error) {
		out, err := client.ExchangeCodeForToken(ctx, &amplifyuibuilder.ExchangeCodeForTokenInput{
			Provider: provider,
			Request: &types.ExchangeCodeForTokenRequestBody{
				Code:        member(body, "code"),
				RedirectUri: member(body, "redirectUri"),
				ClientId:    member(body, "clientId"),
			},
		})
		if err != nil {
			return nil, err
		}
		return exchangeResult(out), nil
	},
}

var refreshToken = operationCommand{
	name:      "refresh-token",
	operation: "RefreshToken",
	synopsis:  "--provider figma --refresh-token-body token=TOKEN[,clientId=ID]",
	body:      structureParam{flag: "refresh-token-body", members: []string{"token", "clientId"}},
	call: func(ctx context.Context, client *amplifyuibuilder.Client, provider types.TokenProviders, body map[string]string) (result, error) {
		out, err := client.RefreshToken(ctx, &amplifyuibuilder.RefreshTokenInput{
			Provider: provider,
			RefreshTokenBody: &types.RefreshTokenRequestBody{
				Token:    member(body, "token"),
				ClientId: member(body, "clientId"),
			},
		})
		if err != nil {
			return nil, err
		}
		return refreshResult(out), nil
	},
}

func exchangeResult(out *amplifyuibuilder.ExchangeCodeForTokenOutput) result {
	return members(map[string]any{"accessToken": out.AccessToken, "expiresIn": out.ExpiresIn, "refreshToken": out.RefreshToken})
}

func refreshResult(out *amplifyuibuilder.RefreshTokenOutput) result {
	return members(map[string]any{"accessToken": out.AccessToken, "expiresIn": out.ExpiresIn})
}

// member returns the named member of a parsed body, or nil when absent.
func member(body map[string]string, name string) *string {
	if v, ok := body[name]; ok {
		return aws.String(v)
	}
	return nil
}

func (c operationCommand) run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	var opts globalOptions
	opts.register(fs)
	provider := fs.String("provider", "", "The third-party provider of the token: figma. (required)")
	body := fs.String(c.body.flag, "", "The request body: shorthand name=value,..., JSON, or file://PATH. (required)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: %s %s %s [options]\n\n", programName, c.name, c.synopsis)
		fmt.Fprintf(fs.Output(), "Calls %s and prints its output, tokens included. Options:\n", c.operation)
		fs.PrintDefaults()
	}
	if exit, done := parseFlags(fs, args, stdout, stderr); done {
		return exit
	}
	switch {
	case *provider == "":
		return usageError(stderr, c.name, "the following arguments are required: --provider")
	case *body == "":
		return usageError(stderr, c.name, "the following arguments are required: --%s", c.body.flag)
	}
	parsed, err := c.body.parse(*body)
	if err != nil {
		return usageError(stderr, c.name, "%v", err)
	}
	if err := opts.validate(); err != nil {
		return usageError(stderr, c.name, "%v", err)
	}

	client, exit := opts.newClient(ctx, stderr)
	if exit != exitOK {
		return exit
	}
	out, err := c.call(ctx, client, types.TokenProviders(*provider), parsed)
	if err != nil {
		return c.callError(ctx, stderr, err)
	}
	if err := out.write(stdout, opts.output); err != nil {
		return reportError(stderr, "", exitFailure, "%v", err)
	}
	return exitOK
}

// callError reports a failed call on one line, as the AWS CLI words it, and
// returns the exit code for it.
func (c operationCommand) callError(ctx context.Context, stderr io.Writer, err error) int {
	var apiErr smithy.APIError
	var invalidParams smithy.InvalidParamsError
	switch {
	case errors.As(err, &apiErr):
		fmt.Fprintf(stderr, "An error occurred (%s) when calling the %s operation: %s\n",
			apiErr.ErrorCode(), c.operation, oneLine(apiErr.ErrorMessage()))
		return exitServiceError
	case errors.As(err, &invalidParams):
		return usageError(stderr, c.name, "Parameter validation failed: %v", invalidParams.Error())
	case ctx.Err() != nil:
		fmt.Fprintf(stderr, "%s: interrupted\n", programName)
		return exitInterrupted
	}
	return reportError(stderr, "", exitFailure, "%v", err)
}

// parseFlags parses a command's flags. It prints the command's usage for
// -h, and reports a flag it cannot parse on one line. done says the command
// must stop, with the exit code.
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (exit int, done bool) {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		fs.Usage()
		return exitOK, true
	case err != nil:
		return usageError(stderr, fs.Name(), "%v", err), true
	case fs.NArg() > 0:
		return usageError(stderr, fs.Name(), "unexpected argument %q", fs.Arg(0)), true
	}
	return exitOK, false
}
