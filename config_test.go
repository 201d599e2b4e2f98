package amplifyuibuilder

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// isolateAWSEnvironment unsets, for the test, every environment variable
// that config.LoadDefaultConfig or NewFromConfig reads, so that the machine's
// own AWS setup cannot change the outcome. Unset, not empty: NewFromConfig
// looks at whether AWS_ENDPOINT_URL is set at all.
func isolateAWSEnvironment(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "AWS_") {
			t.Setenv(name, "") // restores the old value after the test
			require.NoError(t, os.Unsetenv(name))
		}
	}
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

// loadConfig loads an aws.Config the way an application does, from a shared
// config file with the given body and a credentials file with the test
// credentials, both in a temporary directory.
func loadConfig(t *testing.T, sharedConfig string, optFns ...func(*config.LoadOptions) error) aws.Config {
	t.Helper()
	dir := t.TempDir()
	configFile := filepath.Join(dir, "config")
	credentialsFile := filepath.Join(dir, "credentials")
	require.NoError(t, os.WriteFile(configFile, []byte(sharedConfig), 0o600))
	require.NoError(t, os.WriteFile(credentialsFile, []byte("[default]\n"+
		"aws_access_key_id = AKIDFROMFILE\n"+
		"aws_secret_access_key = "+testSecretAccessKey+"\n"), 0o600))

	optFns = append([]func(*config.LoadOptions) error{
		config.WithSharedConfigFiles([]string{configFile}),
		config.WithSharedCredentialsFiles([]string{credentialsFile}),
	}, optFns...)
	cfg, err := config.LoadDefaultConfig(context.Background(), optFns...)
	require.NoError(t, err)
	return cfg
}

// serverURL starts a recording server and returns its URL.
func serverURL(t *testing.T) (string, *recorder) {
	t.Helper()
	c, rec := setup(t, okTokens)
	return aws.ToString(c.Options().BaseEndpoint), rec
}

func TestNewFromConfigTakesTheConfigsSettings(t *testing.T) {
	isolateAWSEnvironment(t)
	url, rec := serverURL(t)
	cfg := aws.Config{
		Region:       "eu-west-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDFROMCONFIG", testSecretAccessKey, ""),
		Retryer:      func() aws.Retryer { return noWaitRetryer(2) },
		AppID:        "config-app",
		BaseEndpoint: aws.String(url),
		APIOptions:   []func(*middleware.Stack) error{smithyhttp.AddHeaderValue("X-From-Config", "yes")},
	}
	c := NewFromConfig(cfg)
	_, err := exchange(t, c, exchangeInput())
	require.NoError(t, err)

	require.Len(t, rec.all(), 1)
	req := rec.all()[0]
	auth := parseAuthorization(t, req.Header.Get("Authorization"))
	assert.Equal(t, "AKIDFROMCONFIG", auth.AccessKeyID)
	assert.Equal(t, "eu-west-1", auth.Region)
	assert.Equal(t, resign(t, req, "eu-west-1"), req.Header.Get("Authorization"))
	assert.Contains(t, strings.Fields(req.Header.Get("User-Agent")), "app/config-app")
	assert.Equal(t, "yes", req.Header.Get("X-From-Config"))

	t.Run("its retryer", func(t *testing.T) {
		c, rec := setup(t, failThenOK(100, 503, ""))
		cfg := cfg.Copy()
		cfg.BaseEndpoint = c.Options().BaseEndpoint
		_, err := exchange(t, NewFromConfig(cfg), exchangeInput())
		require.Error(t, err)
		assert.Len(t, rec.all(), 2)

		cfg.RetryMaxAttempts = 4
		_, err = exchange(t, NewFromConfig(cfg), exchangeInput())
		require.Error(t, err)
		assert.Len(t, rec.all(), 2+4, "RetryMaxAttempts applies over the config's retryer")
	})

	t.Run("option functions win over the config", func(t *testing.T) {
		c := NewFromConfig(cfg, func(o *Options) { o.Region = "ap-south-1" })
		_, err := exchange(t, c, exchangeInput())
		require.NoError(t, err)
		assert.Equal(t, "ap-south-1", parseAuthorization(t, rec.all()[1].Header.Get("Authorization")).Region)
		assert.Equal(t, "eu-west-1", cfg.Region, "the config is not changed")
	})
}

func TestNewFromConfigWithLoadDefaultConfig(t *testing.T) {
	isolateAWSEnvironment(t)
	url, rec := serverURL(t)
	cfg := loadConfig(t, "[default]\nregion = eu-north-1\n", config.WithBaseEndpoint(url))
	_, err := exchange(t, NewFromConfig(cfg), exchangeInput())
	require.NoError(t, err)
	require.Len(t, rec.all(), 1)
	auth := parseAuthorization(t, rec.all()[0].Header.Get("Authorization"))
	assert.Equal(t, "AKIDFROMFILE", auth.AccessKeyID)
	assert.Equal(t, "eu-north-1", auth.Region)
}

// servicesSection is a shared config file whose default profile points
// Amplify UI Builder, and only it, at url.
func servicesSection(url string, extra ...string) string {
	return "[default]\nregion = us-west-2\nservices = local\n" + strings.Join(extra, "") +
		"[services local]\namplifyuibuilder =\n  endpoint_url = " + url + "\n"
}

func TestServiceEndpointFromEnvironmentAndSharedConfig(t *testing.T) {
	type target int
	const (
		serviceEnv target = iota
		servicesFile
		globalEnv
		globalFile
		defaultEndpoint
	)
	cases := []struct {
		name string
		// which configuration sources are set
		serviceEnv, servicesFile, globalEnv, globalFile, ignoreEnv, ignoreFile bool
		want                                                                   target
	}{
		{name: "AWS_ENDPOINT_URL_AMPLIFYUIBUILDER", serviceEnv: true, want: serviceEnv},
		{name: "services section", servicesFile: true, want: servicesFile},
		{name: "service variable over services section", serviceEnv: true, servicesFile: true, want: serviceEnv},
		{name: "service variable over global variable", serviceEnv: true, globalEnv: true, want: serviceEnv},
		{name: "global variable over services section", servicesFile: true, globalEnv: true, want: globalEnv},
		{name: "services section over global endpoint_url", servicesFile: true, globalFile: true, want: servicesFile},
		{name: "global endpoint_url", globalFile: true, want: globalFile},
		{name: "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", serviceEnv: true, servicesFile: true, globalEnv: true, ignoreEnv: true, want: defaultEndpoint},
		{name: "ignore_configured_endpoint_urls", serviceEnv: true, servicesFile: true, globalFile: true, ignoreFile: true, want: defaultEndpoint},
		{name: "nothing configured", want: defaultEndpoint},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			isolateAWSEnvironment(t)
			urls := map[target]string{
				serviceEnv:      "https://service-env.example.com",
				servicesFile:    "https://services-file.example.com",
				globalEnv:       "https://global-env.example.com",
				globalFile:      "https://global-file.example.com",
				defaultEndpoint: "https://amplifyuibuilder.us-west-2.amazonaws.com",
			}
			if tc.serviceEnv {
				t.Setenv("AWS_ENDPOINT_URL_AMPLIFYUIBUILDER", urls[serviceEnv])
			}
			if tc.globalEnv {
				t.Setenv("AWS_ENDPOINT_URL", urls[globalEnv])
			}
			if tc.ignoreEnv {
				t.Setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
			}
			var extra []string
			if tc.globalFile {
				extra = append(extra, "endpoint_url = "+urls[globalFile]+"\n")
			}
			if tc.ignoreFile {
				extra = append(extra, "ignore_configured_endpoint_urls = true\n")
			}
			file := "[default]\nregion = us-west-2\n" + strings.Join(extra, "")
			if tc.servicesFile {
				file = servicesSection(urls[servicesFile], extra...)
			}

			fake := &fakeHTTPClient{}
			c := NewFromConfig(loadConfig(t, file), func(o *Options) { o.HTTPClient = fake })
			_, err := exchange(t, c, exchangeInput())
			require.NoError(t, err)
			assert.Equal(t, urls[tc.want]+"/tokens/figma", fake.only(t).URL.String())
		})
	}
}

// The whole path an application takes: a services section pointing the
// client at a local server, over loopback.
func TestServicesSectionReachesTheServer(t *testing.T) {
	isolateAWSEnvironment(t)
	url, rec := serverURL(t)
	c := NewFromConfig(loadConfig(t, servicesSection(url)))
	out, err := exchange(t, c, exchangeInput())
	require.NoError(t, err)
	assert.Equal(t, "at-1", aws.ToString(out.AccessToken))
	require.Len(t, rec.all(), 1)
	assert.Equal(t, "/tokens/figma", rec.all()[0].RequestURI)
	assert.Equal(t, resign(t, rec.all()[0], "us-west-2"), rec.all()[0].Header.Get("Authorization"))
}

func TestFIPSAndDualStackFromConfigSources(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		file    string
		options []func(*config.LoadOptions) error
		host    string
	}{
		{
			name: "AWS_USE_FIPS_ENDPOINT", env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "true"},
			host: "amplifyuibuilder-fips.us-west-2.amazonaws.com",
		},
		{
			name: "AWS_USE_DUALSTACK_ENDPOINT", env: map[string]string{"AWS_USE_DUALSTACK_ENDPOINT": "true"},
			host: "amplifyuibuilder.us-west-2.api.aws",
		},
		{
			name: "use_fips_endpoint and use_dualstack_endpoint", file: "use_fips_endpoint = true\nuse_dualstack_endpoint = true\n",
			host: "amplifyuibuilder-fips.us-west-2.api.aws",
		},
		{
			name: "the environment over the file", env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "false"},
			file: "use_fips_endpoint = true\n",
			host: "amplifyuibuilder.us-west-2.amazonaws.com",
		},
		{
			name: "a load option over the environment", env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "false"},
			options: []func(*config.LoadOptions) error{config.WithUseFIPSEndpoint(aws.FIPSEndpointStateEnabled)},
			host:    "amplifyuibuilder-fips.us-west-2.amazonaws.com",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			isolateAWSEnvironment(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			cfg := loadConfig(t, "[default]\nregion = us-west-2\n"+tc.file, tc.options...)
			fake := &fakeHTTPClient{}
			c := NewFromConfig(cfg, func(o *Options) { o.HTTPClient = fake })
			_, err := exchange(t, c, exchangeInput())
			require.NoError(t, err)
			assert.Equal(t, tc.host, fake.only(t).URL.Host)
		})
	}

	t.Run("FIPS from the config with a configured endpoint is an error", func(t *testing.T) {
		isolateAWSEnvironment(t)
		t.Setenv("AWS_USE_FIPS_ENDPOINT", "true")
		t.Setenv("AWS_ENDPOINT_URL_AMPLIFYUIBUILDER", "https://service-env.example.com")
		fake := &fakeHTTPClient{}
		c := NewFromConfig(loadConfig(t, "[default]\nregion = us-west-2\n"), func(o *Options) { o.HTTPClient = fake })
		_, err := exchange(t, c, exchangeInput())
		requireOperationError(t, err, "ExchangeCodeForToken")
		assert.Contains(t, err.Error(), "FIPS and custom endpoint are not supported")
		assert.Empty(t, fake.all())
	})
}

// NewFromConfig reads what service/sts's NewFromConfig reads, field by field:
// every aws.Config field set, the two clients' options compared.
func TestNewFromConfigReadsWhatGeneratedClientsRead(t *testing.T) {
	isolateAWSEnvironment(t)
	httpClient := &http.Client{}
	retryer := noWaitRetryer(4)
	var resolved []string
	cfg := aws.Config{
		Region:                     "eu-west-1",
		DefaultsMode:               aws.DefaultsModeStandard,
		RuntimeEnvironment:         aws.RuntimeEnvironment{EnvironmentIdentifier: "test-env", Region: "eu-west-1"},
		HTTPClient:                 httpClient,
		Credentials:                credentials.NewStaticCredentialsProvider("AKIDFROMCONFIG", testSecretAccessKey, ""),
		APIOptions:                 []func(*middleware.Stack) error{smithyhttp.AddHeaderValue("X-From-Config", "yes")},
		Logger:                     logging.NewStandardLogger(io.Discard),
		ClientLogMode:              aws.LogRetries,
		AppID:                      "config-app",
		DisableClockSkewCorrection: true,
		AuthSchemePreference:       []string{"sigv4"},
		Retryer:                    func() aws.Retryer { return retryer },
		RetryMaxAttempts:           4,
		RetryMode:                  aws.RetryModeAdaptive,
		BaseEndpoint:               aws.String("https://config.example"),
		EndpointResolverWithOptions: aws.EndpointResolverWithOptionsFunc(func(service, region string, _ ...any) (aws.Endpoint, error) {
			resolved = append(resolved, service+" "+region)
			return aws.Endpoint{URL: "https://legacy.example"}, nil
		}),
		Interceptors: smithyhttp.InterceptorRegistry{BeforeAttempt: []smithyhttp.BeforeAttemptInterceptor{nil}},
		ConfigSources: []any{config.LoadOptions{
			UseFIPSEndpoint:      aws.FIPSEndpointStateEnabled,
			UseDualStackEndpoint: aws.DualStackEndpointStateEnabled,
		}},
		ServiceOptions: []func(string, any){func(service string, o any) {
			if opts, ok := o.(*Options); ok && service == ServiceID {
				opts.AppID = "from-service-options"
			}
			if opts, ok := o.(*sts.Options); ok && service == sts.ServiceID {
				opts.AppID = "from-service-options"
			}
		}},
	}
	generated := sts.NewFromConfig(cfg).Options()
	ours := NewFromConfig(cfg).Options()

	gv, ov := reflect.ValueOf(generated), reflect.ValueOf(ours)
	for _, name := range []string{
		"Region", "DefaultsMode", "RuntimeEnvironment", "HTTPClient", "Credentials", "Logger", "ClientLogMode",
		"AppID", "DisableClockSkewCorrection", "AuthSchemePreference", "RetryMaxAttempts", "RetryMode", "BaseEndpoint",
	} {
		assert.Equal(t, gv.FieldByName(name).Interface(), ov.FieldByName(name).Interface(), name)
	}
	assert.Equal(t, "from-service-options", ours.AppID, "ServiceOptions apply")
	assert.Equal(t, generated.EndpointOptions.UseFIPSEndpoint, ours.EndpointOptions.UseFIPSEndpoint)
	assert.Equal(t, generated.EndpointOptions.UseDualStackEndpoint, ours.EndpointOptions.UseDualStackEndpoint)
	assert.Equal(t, aws.FIPSEndpointStateEnabled, ours.EndpointOptions.UseFIPSEndpoint)
	assert.Len(t, ours.APIOptions, len(generated.APIOptions))
	assert.Len(t, ours.Interceptors.BeforeAttempt, len(generated.Interceptors.BeforeAttempt))
	assert.Equal(t, 4, ours.Retryer.MaxAttempts(), "the config's retryer, with its RetryMaxAttempts")

	require.NotNil(t, ours.EndpointResolver, "the config's legacy endpoint resolver")
	endpoint, err := ours.EndpointResolver.ResolveEndpoint("eu-west-1", ours.EndpointOptions)
	require.NoError(t, err)
	assert.Equal(t, "https://legacy.example", endpoint.URL)
	assert.Equal(t, []string{ServiceID + " eu-west-1"}, resolved)
}

// DefaultsMode does what it does in a generated client: the default HTTP
// client takes the mode's connect and TLS handshake timeouts, "auto" resolves
// from the region and runtime environment, and RetryMode follows the mode.
func TestDefaultsMode(t *testing.T) {
	cases := []struct {
		name    string
		options Options
		timeout time.Duration // 0: the SDK's defaults, untouched
	}{
		{name: "unset", options: Options{}},
		{name: "legacy", options: Options{DefaultsMode: aws.DefaultsModeLegacy}},
		{name: "standard", options: Options{DefaultsMode: aws.DefaultsModeStandard}, timeout: 3100 * time.Millisecond},
		{name: "in-region", options: Options{DefaultsMode: aws.DefaultsModeInRegion}, timeout: 1100 * time.Millisecond},
		{name: "mobile", options: Options{DefaultsMode: aws.DefaultsModeMobile}, timeout: 30 * time.Second},
		{name: "auto in its own region", timeout: 1100 * time.Millisecond, options: Options{
			DefaultsMode: aws.DefaultsModeAuto, Region: "us-west-2",
			RuntimeEnvironment: aws.RuntimeEnvironment{EnvironmentIdentifier: "AWS_Lambda_go1.x", Region: "us-west-2"},
		}},
		{name: "auto in another region", timeout: 3100 * time.Millisecond, options: Options{
			DefaultsMode: aws.DefaultsModeAuto, Region: "us-west-2",
			RuntimeEnvironment: aws.RuntimeEnvironment{EnvironmentIdentifier: "AWS_Lambda_go1.x", Region: "eu-west-1"},
		}},
		{name: "a BuildableClient of the caller's", timeout: 3100 * time.Millisecond, options: Options{
			DefaultsMode: aws.DefaultsModeStandard, HTTPClient: awshttp.NewBuildableClient(),
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			generated := sts.New(sts.Options{DefaultsMode: tc.options.DefaultsMode, Region: tc.options.Region,
				RuntimeEnvironment: tc.options.RuntimeEnvironment, HTTPClient: tc.options.HTTPClient}).Options()
			o := New(tc.options).Options()
			client, ok := o.HTTPClient.(*awshttp.BuildableClient)
			require.True(t, ok)
			want := awshttp.NewBuildableClient()
			if tc.timeout != 0 {
				assert.Equal(t, tc.timeout, client.GetDialer().Timeout)
				assert.Equal(t, tc.timeout, client.GetTransport().TLSHandshakeTimeout)
			} else {
				assert.Equal(t, want.GetDialer().Timeout, client.GetDialer().Timeout)
				assert.Equal(t, want.GetTransport().TLSHandshakeTimeout, client.GetTransport().TLSHandshakeTimeout)
			}
			gc := generated.HTTPClient.(*awshttp.BuildableClient)
			assert.Equal(t, gc.GetDialer().Timeout, client.GetDialer().Timeout, "as service/sts")
			assert.Equal(t, gc.GetTransport().TLSHandshakeTimeout, client.GetTransport().TLSHandshakeTimeout, "as service/sts")
			_, standard := o.Retryer.(*retry.Standard)
			assert.True(t, standard, "every mode retries in standard mode")
		})
	}
	// A client that is not a BuildableClient is used as it is.
	own := &http.Client{}
	assert.Same(t, own, New(Options{DefaultsMode: aws.DefaultsModeStandard, HTTPClient: own}).Options().HTTPClient)
}
