package amplifyuibuildertest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest"
)

func setHeader(name, value string) func(req *smithyhttp.Request) *smithyhttp.Request {
	return func(req *smithyhttp.Request) *smithyhttp.Request {
		if value == "" {
			req.Header.Del(name)
		} else {
			req.Header.Set(name, value)
		}
		return req
	}
}

// wallClockSigner makes a client sign on the machine's clock, as a client
// not built by Server.Client does, whatever the server's clock says.
func wallClockSigner(o *amplifyuibuilder.Options) { o.HTTPSignerV4 = v4.NewSigner() }

func withCredentials(creds aws.Credentials) func(*amplifyuibuilder.Options) {
	return func(o *amplifyuibuilder.Options) {
		o.Credentials = credentials.StaticCredentialsProvider{Value: creds}
	}
}

// TestAuthenticationRejections sends requests that fail SigV4 verification in
// each way, through the real client, and checks the 403 answer AWS gives. None
// of them spends the code: authentication comes first.
func TestAuthenticationRejections(t *testing.T) {
	tests := []struct {
		name       string
		serverOpts []amplifyuibuildertest.Option
		opts       func(srv *amplifyuibuildertest.Server) []func(*amplifyuibuilder.Options)
		code       string
		message    string
	}{{
		name: "unknown access key",
		opts: func(srv *amplifyuibuildertest.Server) []func(*amplifyuibuilder.Options) {
			creds := srv.Credentials()
			creds.AccessKeyID = "AKIDSOMEONEELSE"
			return []func(*amplifyuibuilder.Options){withCredentials(creds)}
		},
		code:    "UnrecognizedClientException",
		message: "The security token included in the request is invalid.",
	}, {
		name: "wrong secret key",
		opts: func(srv *amplifyuibuildertest.Server) []func(*amplifyuibuilder.Options) {
			creds := srv.Credentials()
			creds.SecretAccessKey = "not-the-secret"
			return []func(*amplifyuibuilder.Options){withCredentials(creds)}
		},
		code:    "InvalidSignatureException",
		message: "The request signature we calculated does not match the signature you provided.",
	}, {
		name: "body changed after signing",
		opts: func(*amplifyuibuildertest.Server) []func(*amplifyuibuilder.Options) {
			return []func(*amplifyuibuilder.Options){afterSigning(func(req *smithyhttp.Request) *smithyhttp.Request {
				// Same length, one letter changed in the redirect URI.
				body := strings.Replace(string(bodyOf(req)), "example.com", "examplf.com", 1)
				return withBody(body)(req)
			})}
		},
		code:    "InvalidSignatureException",
		message: "does not match the signature you provided",
	}, {
		name: "signed header changed after signing",
		opts: func(*amplifyuibuildertest.Server) []func(*amplifyuibuilder.Options) {
			return []func(*amplifyuibuilder.Options){afterSigning(setHeader("Content-Type", "application/json; charset=utf-8"))}
		},
		code:    "InvalidSignatureException",
		message: "does not match the signature you provided",
	}, {
		name: "path changed after signing",
		opts: func(*amplifyuibuildertest.Server) []func(*amplifyuibuilder.Options) {
			return []func(*amplifyuibuilder.Options){afterSigning(func(req *smithyhttp.Request) *smithyhttp.Request {
				req.URL.Path += "/refresh"
				return req
			})}
		},
		code:    "InvalidSignatureException",
		message: "does not match the signature you provided",
	}, {
		name: "unsigned request",
		opts: func(*amplifyuibuildertest.Server) []func(*amplifyuibuilder.Options) {
			return []func(*amplifyuibuilder.Options){func(o *amplifyuibuilder.Options) { o.Credentials = aws.AnonymousCredentials{} }}
		},
		code:    "MissingAuthenticationTokenException",
		message: "Missing Authentication Token",
	}, {
		name: "X-Amz-Date removed",
		opts: func(*amplifyuibuildertest.Server) []func(*amplifyuibuilder.Options) {
			return []func(*amplifyuibuilder.Options){afterSigning(setHeader("X-Amz-Date", ""))}
		},
		code:    "IncompleteSignatureException",
		message: "requires existence of either a 'X-Amz-Date' or a 'Date' header",
	}, {
		name: "X-Amz-Date malformed",
		opts: func(*amplifyuibuildertest.Server) []func(*amplifyuibuilder.Options) {
			return []func(*amplifyuibuilder.Options){afterSigning(setHeader("X-Amz-Date", "yesterday"))}
		},
		code:    "IncompleteSignatureException",
		message: "X-Amz-Date must have the form",
	}, {
		name: "signature missing from Authorization",
		opts: func(*amplifyuibuildertest.Server) []func(*amplifyuibuilder.Options) {
			return []func(*amplifyuibuilder.Options){afterSigning(func(req *smithyhttp.Request) *smithyhttp.Request {
				auth := req.Header.Get("Authorization")
				req.Header.Set("Authorization", auth[:strings.Index(auth, ", Signature=")])
				return req
			})}
		},
		code:    "IncompleteSignatureException",
		message: "Authorization header requires 'Signature' parameter.",
	}, {
		name: "other algorithm",
		opts: func(*amplifyuibuildertest.Server) []func(*amplifyuibuilder.Options) {
			return []func(*amplifyuibuilder.Options){afterSigning(setHeader("Authorization", "Basic dXNlcjpwYXNz"))}
		},
		code:    "IncompleteSignatureException",
		message: "only AWS4-HMAC-SHA256 is accepted",
	}, {
		name:       "signed for another region than the one pinned",
		serverOpts: []amplifyuibuildertest.Option{amplifyuibuildertest.WithRegion("us-east-1")},
		opts: func(*amplifyuibuildertest.Server) []func(*amplifyuibuilder.Options) {
			return []func(*amplifyuibuilder.Options){func(o *amplifyuibuilder.Options) { o.Region = "eu-west-1" }}
		},
		code:    "InvalidSignatureException",
		message: "Credential should be scoped to a valid region, not 'eu-west-1'. Expected 'us-east-1'.",
	}, {
		name: "signed for another service",
		opts: func(*amplifyuibuildertest.Server) []func(*amplifyuibuilder.Options) {
			return []func(*amplifyuibuilder.Options){amplifyuibuilder.WithSigV4SigningName("amplify")}
		},
		code:    "InvalidSignatureException",
		message: "Credential should be scoped to correct service: 'amplifyuibuilder'.",
	}, {
		name: "X-Amz-Date of another day than the scope",
		opts: func(*amplifyuibuildertest.Server) []func(*amplifyuibuilder.Options) {
			return []func(*amplifyuibuilder.Options){afterSigning(func(req *smithyhttp.Request) *smithyhttp.Request {
				signed, err := time.Parse("20060102T150405Z", req.Header.Get("X-Amz-Date"))
				if err != nil {
					panic(err)
				}
				req.Header.Set("X-Amz-Date", signed.AddDate(0, 0, 1).Format("20060102T150405Z"))
				return req
			})}
		},
		code:    "InvalidSignatureException",
		message: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t, tt.serverOpts...)
			code := srv.IssueCode(redirectURI)
			client := newClient(srv, tt.opts(srv)...)

			_, err := exchange(t, client, exchangeInput(code, redirectURI))

			message := requireAPIError(t, err, http.StatusForbidden, tt.code)
			assert.Contains(t, message, tt.message)
			requireNoSecret(t, message, code, srv.Credentials().SecretAccessKey, srv.Credentials().AccessKeyID)
			requests := srv.Requests()
			require.Len(t, requests, 1, "a 403 is not retried")
			assert.Equal(t, tt.code, requests[0].ErrorCode)

			// The code is still good: a rejected request never reached it.
			_, err = exchange(t, newClient(srv), exchangeInput(code, redirectURI))
			require.NoError(t, err)
		})
	}
}

// bodyOf returns the bytes of the request's body and rewinds it.
func bodyOf(req *smithyhttp.Request) []byte {
	stream := req.GetStream()
	buf := new(strings.Builder)
	if stream != nil {
		if _, err := io.Copy(buf, stream); err != nil {
			panic(err)
		}
		if err := req.RewindStream(); err != nil {
			panic(err)
		}
	}
	return []byte(buf.String())
}

func TestUnsignedHeadersMayChange(t *testing.T) {
	srv := startServer(t)
	client := newClient(srv, afterSigning(setHeader("User-Agent", "changed-on-the-way")))

	_, err := exchange(t, client, exchangeInput(srv.IssueCode(redirectURI), redirectURI))

	require.NoError(t, err, "User-Agent is not signed, as in every SigV4 client")
}

func TestSigningTimeMustBeWithinFiveMinutes(t *testing.T) {
	for _, tt := range []struct {
		name    string
		offset  time.Duration
		message string
	}{
		{"server clock 6 minutes ahead", 6 * time.Minute, "Signature expired:"},
		{"server clock 6 minutes behind", -6 * time.Minute, "Signature not yet current:"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t, amplifyuibuildertest.WithClock(func() time.Time { return time.Now().Add(tt.offset) }))
			client := newClient(srv, wallClockSigner, func(o *amplifyuibuilder.Options) { o.DisableClockSkewCorrection = true })

			_, err := exchange(t, client, exchangeInput(srv.IssueCode(redirectURI), redirectURI))

			message := requireAPIError(t, err, http.StatusForbidden, "InvalidSignatureException")
			assert.Contains(t, message, tt.message)
		})
	}
	t.Run("4 minutes off is accepted", func(t *testing.T) {
		srv := startServer(t, amplifyuibuildertest.WithClock(func() time.Time { return time.Now().Add(4 * time.Minute) }))
		client := newClient(srv, wallClockSigner, func(o *amplifyuibuilder.Options) { o.DisableClockSkewCorrection = true })

		_, err := exchange(t, client, exchangeInput(srv.IssueCode(redirectURI), redirectURI))

		require.NoError(t, err)
	})
}

// TestClientCorrectsClockSkew shows the server's Date header at work: the
// client learns the skew from the 403 and signs its retry with the server's
// time, as it does against AWS.
func TestClientCorrectsClockSkew(t *testing.T) {
	srv := startServer(t, amplifyuibuildertest.WithClock(func() time.Time { return time.Now().Add(time.Hour) }))
	client := newClient(srv, wallClockSigner)

	out, err := exchange(t, client, exchangeInput(srv.IssueCode(redirectURI), redirectURI))

	require.NoError(t, err)
	assert.NotEmpty(t, aws.ToString(out.AccessToken))
	requests := srv.Requests()
	require.Len(t, requests, 2)
	assert.Equal(t, "InvalidSignatureException", requests[0].ErrorCode)
	assert.Equal(t, http.StatusOK, requests[1].Status)
}

func TestSessionToken(t *testing.T) {
	withToken := aws.Credentials{AccessKeyID: "AKIDSESSION", SecretAccessKey: "session-secret", SessionToken: "session-token-1"}

	t.Run("required when the server's credentials have one", func(t *testing.T) {
		srv := startServer(t, amplifyuibuildertest.WithCredentials(withToken))
		assert.Equal(t, withToken, srv.Credentials())

		_, err := exchange(t, newClient(srv), exchangeInput(srv.IssueCode(redirectURI), redirectURI))
		require.NoError(t, err)
		assert.Equal(t, "session-token-1", srv.Requests()[0].Header.Get("X-Amz-Security-Token"))

		noToken := withToken
		noToken.SessionToken = ""
		_, err = exchange(t, newClient(srv, withCredentials(noToken)), exchangeInput(srv.IssueCode(redirectURI), redirectURI))
		requireAPIError(t, err, http.StatusForbidden, "UnrecognizedClientException")

		otherToken := withToken
		otherToken.SessionToken = "session-token-2"
		_, err = exchange(t, newClient(srv, withCredentials(otherToken)), exchangeInput(srv.IssueCode(redirectURI), redirectURI))
		requireAPIError(t, err, http.StatusForbidden, "UnrecognizedClientException")
	})
	t.Run("refused when the server's credentials have none", func(t *testing.T) {
		srv := startServer(t)
		creds := srv.Credentials()
		creds.SessionToken = "unexpected"

		_, err := exchange(t, newClient(srv, withCredentials(creds)), exchangeInput(srv.IssueCode(redirectURI), redirectURI))

		requireAPIError(t, err, http.StatusForbidden, "UnrecognizedClientException")
	})
}
