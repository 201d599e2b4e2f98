package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/logging"
	"github.com/spf13/pflag"

	"github.com/uibuilder-go/amplifyuibuilder"
)

// globalOptions are the AWS CLI's global options that these commands take.
type globalOptions struct {
	region         string
	profile        string
	endpointURL    string
	output         string // as given; resolve picks the format
	query          string
	debug          bool
	noSignRequest  bool
	readTimeout    string // seconds; 0 waits as long as it takes
	connectTimeout string // seconds; 0 waits as long as it takes
	caBundle       string
	// Accepted for scripts written for the AWS CLI, with nothing to do here:
	// nothing is paged, these operations have no pages, tables have no color.
	noCLIPager, noPaginate bool
	color                  string
}

// defaultTimeout is the AWS CLI's default for both timeouts.
const defaultTimeout = "60"

func (o *globalOptions) register(fs *pflag.FlagSet) {
	fs.StringVar(&o.region, "region", "", "The AWS Region to send the request to. Default: from AWS_REGION or the profile.")
	fs.StringVar(&o.profile, "profile", "", "Use this profile of the shared config and credentials files.")
	fs.StringVar(&o.endpointURL, "endpoint-url", "", "Send the request to this URL instead of the Region's endpoint.")
	fs.StringVar(&o.output, "output", "", "The output `format`: "+strings.Join(outputFormats, ", ")+". Default: AWS_DEFAULT_OUTPUT, the profile's output, or json.")
	fs.StringVar(&o.query, "query", "", "A JMESPath `expression` to apply to the output.")
	fs.BoolVar(&o.debug, "debug", false, "Log each request and response to stderr, secrets redacted.")
	fs.BoolVar(&o.noSignRequest, "no-sign-request", false, "Send the request unsigned: no credentials are loaded.")
	fs.StringVar(&o.readTimeout, "cli-read-timeout", defaultTimeout, "Wait at most `seconds` for each read of an answer, per attempt; 0 waits as long as it takes.")
	fs.StringVar(&o.connectTimeout, "cli-connect-timeout", defaultTimeout, "Wait at most `seconds` for a connection, per attempt; 0 waits as long as it takes.")
	fs.StringVar(&o.caBundle, "ca-bundle", "", "A PEM `file` of the certificate authorities to trust for TLS. Default: AWS_CA_BUNDLE, the profile's ca_bundle, or the system's.")
	fs.BoolVar(&o.noCLIPager, "no-cli-pager", false, "Accepted for compatibility with the AWS CLI: output is never paged.")
	fs.BoolVar(&o.noPaginate, "no-paginate", false, "Accepted for compatibility with the AWS CLI: these operations have no pages.")
	fs.StringVar(&o.color, "color", "auto", "Accepted for compatibility with the AWS CLI (on, off, auto): output has no color.")
}

// settings are the global options once checked: what the command runs with.
type settings struct {
	output         string
	query          *query
	readTimeout    time.Duration
	connectTimeout time.Duration
}

// validRegion is the form botocore accepts for a region name.
var validRegion = regexp.MustCompile(`^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$`)

// check validates what needs no network and no configuration files: the
// values given on the command line. Its errors are usage errors.
func (o *globalOptions) check() (settings, error) {
	var s settings
	var err error
	if !slices.Contains([]string{"on", "off", "auto"}, o.color) {
		return s, fmt.Errorf("argument --color: Invalid choice %q, valid choices are: on, off, auto", o.color)
	}
	if o.output != "" && !slices.Contains(outputFormats, o.output) {
		return s, fmt.Errorf("argument --output: Invalid choice %q, valid choices are: %s", o.output, strings.Join(outputFormats, ", "))
	}
	if s.readTimeout, err = parseSeconds("--cli-read-timeout", o.readTimeout); err != nil {
		return s, err
	}
	if s.connectTimeout, err = parseSeconds("--cli-connect-timeout", o.connectTimeout); err != nil {
		return s, err
	}
	if o.query != "" {
		if s.query, err = compileQuery(o.query); err != nil {
			return s, err
		}
	}
	return s, nil
}

// checkEndpoint validates --endpoint-url as botocore does when it makes the
// client: an error there is a general one (exit 255), not a usage error.
func (o *globalOptions) checkEndpoint() error {
	if o.endpointURL == "" {
		return nil
	}
	u, err := url.Parse(o.endpointURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		shown := o.endpointURL
		if strings.Contains(shown, "@") {
			shown = "(an endpoint URL with user information, not shown)"
		}
		return &configError{exitFailure, "Invalid endpoint: " + shown}
	}
	return nil
}

// parseSeconds reads a timeout in seconds; 0 means none.
func parseSeconds(flag, value string) (time.Duration, error) {
	seconds, err := strconv.ParseFloat(value, 64)
	if err != nil || seconds < 0 || seconds > 1e9 {
		return 0, fmt.Errorf("argument %s: invalid value %q: must be a number of seconds, 0 or more", flag, value)
	}
	return time.Duration(seconds * float64(time.Second)), nil
}

// configError is a problem with the configuration, found before any request
// is sent, with the exit code the AWS CLI gives it: 253 for a missing region
// or missing credentials, 255 for what botocore reports as a general error
// (an unknown profile, a malformed region, an unknown output type).
type configError struct {
	exit int
	msg  string
}

func (e *configError) Error() string { return e.msg }

// profileName is the profile the command uses, as the AWS CLI picks it.
func (o *globalOptions) profileName() string {
	for _, name := range []string{o.profile, os.Getenv("AWS_PROFILE"), os.Getenv("AWS_DEFAULT_PROFILE")} {
		if name != "" {
			return name
		}
	}
	return "default"
}

// resolveOutput picks the output format as the AWS CLI does: --output, then
// AWS_DEFAULT_OUTPUT, then the profile's output setting, then json.
func (o *globalOptions) resolveOutput(s *settings) error {
	s.output = o.output
	if s.output == "" {
		s.output = os.Getenv("AWS_DEFAULT_OUTPUT")
	}
	if s.output == "" {
		s.output = profileSetting(o.profileName(), "output")
	}
	if s.output == "" {
		s.output = "json"
	}
	if !slices.Contains(outputFormats, s.output) {
		return &configError{exitFailure, fmt.Sprintf("Unknown output type: %s", s.output)}
	}
	return nil
}

// newClient loads the configuration as the AWS CLI does, with
// config.LoadDefaultConfig, and checks that it names a valid region and,
// unless the request goes unsigned, finds credentials.
func (o *globalOptions) newClient(ctx context.Context, s settings, stderr io.Writer) (*amplifyuibuilder.Client, error) {
	if err := o.checkEndpoint(); err != nil {
		return nil, err
	}
	loadOpts := []func(*config.LoadOptions) error{
		config.WithHTTPClient(newHTTPClient(s.connectTimeout, s.readTimeout)),
	}
	if o.region != "" {
		loadOpts = append(loadOpts, config.WithRegion(o.region))
	}
	if o.profile != "" {
		loadOpts = append(loadOpts, config.WithSharedConfigProfile(o.profile))
	}
	if o.noSignRequest {
		loadOpts = append(loadOpts, config.WithCredentialsProvider(aws.AnonymousCredentials{}))
	}
	if o.caBundle != "" {
		pem, err := os.ReadFile(o.caBundle)
		if err != nil {
			return nil, &configError{exitConfig, fmt.Sprintf("Unable to read the CA bundle of --ca-bundle: %v", err)}
		}
		loadOpts = append(loadOpts, config.WithCustomCABundle(bytes.NewReader(pem)))
	}
	if o.debug {
		loadOpts = append(loadOpts,
			config.WithLogger(logging.NewStandardLogger(stderr)),
			config.WithClientLogMode(aws.LogRequestWithBody|aws.LogResponseWithBody|aws.LogRetries|aws.LogSigning))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	var noProfile config.SharedConfigProfileNotExistError
	switch {
	case errors.As(err, &noProfile):
		// The AWS CLI's wording, and its exit code: 255.
		return nil, &configError{exitFailure, fmt.Sprintf("The config profile (%s) could not be found", noProfile.Profile)}
	case err != nil:
		return nil, &configError{exitConfig, err.Error()}
	case cfg.Region == "":
		return nil, &configError{exitConfig, "You must specify a region: use --region, AWS_REGION, or a profile with a region."}
	case !validRegion.MatchString(cfg.Region):
		// botocore checks the form at client creation, as here; the AWS CLI
		// exits 255 for it.
		return nil, &configError{exitFailure, fmt.Sprintf("Provided region_name '%s' doesn't match a supported format.", cfg.Region)}
	}
	if !o.noSignRequest {
		if cfg.Credentials == nil {
			return nil, &configError{exitConfig, "Unable to locate credentials."}
		}
		if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
			return nil, &configError{exitConfig, "Unable to locate credentials: " + err.Error()}
		}
	}

	// --endpoint-url wins over every configured endpoint, as in the AWS CLI.
	optFns := append([]func(*amplifyuibuilder.Options){func(opts *amplifyuibuilder.Options) {
		if o.endpointURL != "" {
			opts.BaseEndpoint = aws.String(o.endpointURL)
		}
	}}, testClientOptions...)
	return amplifyuibuilder.NewFromConfig(cfg, optFns...), nil
}

// testClientOptions change every client the commands make; tests use them
// to retry without waiting.
var testClientOptions []func(*amplifyuibuilder.Options)
