package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/logging"

	"github.com/uibuilder-go/amplifyuibuilder"
)

// globalOptions are the AWS CLI's global options that these commands take.
type globalOptions struct {
	region      string
	profile     string
	endpointURL string
	output      string
	debug       bool
	readTimeout float64 // seconds; 0 waits as long as it takes
}

func (o *globalOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.region, "region", "", "The AWS Region to send the request to. Default: from AWS_REGION or the profile.")
	fs.StringVar(&o.profile, "profile", "", "Use this profile of the shared config and credentials files.")
	fs.StringVar(&o.endpointURL, "endpoint-url", "", "Send the request to this URL instead of the Region's endpoint.")
	fs.StringVar(&o.output, "output", "json", "The output format: json or text.")
	fs.BoolVar(&o.debug, "debug", false, "Log each request and response to stderr, secrets redacted.")
	fs.Float64Var(&o.readTimeout, "cli-read-timeout", 60, "Seconds to wait for each answer; 0 waits as long as it takes.")
}

// validate checks the values that need no network or configuration.
func (o *globalOptions) validate() error {
	if o.output != "json" && o.output != "text" {
		return fmt.Errorf("argument --output: invalid choice %q (choose from json, text)", o.output)
	}
	if o.readTimeout < 0 {
		return errors.New("argument --cli-read-timeout: must be 0 or more seconds")
	}
	if o.endpointURL != "" {
		u, err := url.Parse(o.endpointURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("Bad value for --endpoint-url %q: must be of the form http://<hostname>/ or https://<hostname>/", o.endpointURL)
		}
	}
	return nil
}

// newClient loads the configuration as the AWS CLI does, with
// config.LoadDefaultConfig, and checks that it names a region and finds
// credentials. On failure it reports the problem and returns the exit code.
func (o *globalOptions) newClient(ctx context.Context, stderr io.Writer) (*amplifyuibuilder.Client, int) {
	var loadOpts []func(*config.LoadOptions) error
	if o.region != "" {
		loadOpts = append(loadOpts, config.WithRegion(o.region))
	}
	if o.profile != "" {
		loadOpts = append(loadOpts, config.WithSharedConfigProfile(o.profile))
	}
	if o.debug {
		loadOpts = append(loadOpts,
			config.WithLogger(logging.NewStandardLogger(stderr)),
			config.WithClientLogMode(aws.LogRequestWithBody|aws.LogResponseWithBody|aws.LogRetries|aws.LogSigning))
	}
	if o.readTimeout > 0 {
		timeout := time.Duration(o.readTimeout * float64(time.Second))
		loadOpts = append(loadOpts, config.WithHTTPClient(awshttp.NewBuildableClient().WithTimeout(timeout)))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return nil, reportError(stderr, "", exitConfig, "%v", err)
	}
	if cfg.Region == "" {
		return nil, reportError(stderr, "", exitConfig, "You must specify a region: use --region, AWS_REGION, or a profile with a region.")
	}
	if cfg.Credentials == nil {
		return nil, reportError(stderr, "", exitConfig, "Unable to locate credentials.")
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return nil, reportError(stderr, "", exitConfig, "Unable to locate credentials: %v", err)
	}

	// --endpoint-url wins over every configured endpoint, as in the AWS CLI.
	return amplifyuibuilder.NewFromConfig(cfg, func(opts *amplifyuibuilder.Options) {
		if o.endpointURL != "" {
			opts.BaseEndpoint = aws.String(o.endpointURL)
		}
	}), exitOK
}
