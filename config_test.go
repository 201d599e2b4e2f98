package amplifyuibuilder

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
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
