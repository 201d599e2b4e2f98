// Package interop holds the tests that drive the local endpoint
// (amplifyuibuildertest) with clients written in other languages, unchanged:
// boto3, the AWS CLI and the AWS SDK for JavaScript v3. Each client runs a
// small script of this directory (boto3_client.py, awscli.sh, js_client.mjs)
// as a subprocess, against a server on 127.0.0.1 with the server's
// credentials and a clean configuration, and the test checks both what the
// client reports and what the server received. One test runs the serve
// command instead, and gives the clients only what it prints. README.md's section "Use the
// local endpoint from any SDK" shows the parts of the scripts between their
// README markers, and a test keeps the two the same.
//
// A test whose client is not installed skips, unless
// AMPLIFYUIBUILDER_REQUIRE_INTEROP is set (as .ci/run sets it), when it
// fails. The JS SDK comes from this directory's package-lock.json (npm ci).
package interop
