#!/bin/sh
# Calls the local Amplify UI Builder endpoint with the AWS CLI, for
# interop_test.go:
#
#	awscli.sh exchange CODE REDIRECT_URI
#	awscli.sh refresh REFRESH_TOKEN
#
# The endpoint comes from AWS_ENDPOINT_URL_AMPLIFYUIBUILDER, the region from
# AWS_REGION, the credentials from AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY. AWS_CLI names the AWS CLI to run (aws on PATH
# otherwise), and AWS_CLI_OPTIONS holds options added to each command, such
# as --debug. The AWS CLI prints the answer: JSON on stdout, or an error on
# stderr with exit status 254. The commands between the README markers are
# what README.md shows: AWS CLI 2.9 ignores AWS_ENDPOINT_URL_*, so they name
# the endpoint with --endpoint-url.
set -eu

# Each branch below runs one command: exec makes it this process, so that
# the test's timeout ends the AWS CLI itself.
aws() {
	# AWS_CLI_OPTIONS is split into words on purpose.
	# shellcheck disable=SC2086
	exec "${AWS_CLI:-aws}" "$@" ${AWS_CLI_OPTIONS:-}
}

case "${1:-} $#" in
"exchange 3")
	CODE=$2 REDIRECT_URI=$3
	# README:begin
	aws amplifyuibuilder exchange-code-for-token --endpoint-url "$AWS_ENDPOINT_URL_AMPLIFYUIBUILDER" \
		--provider figma --request "code=$CODE,redirectUri=$REDIRECT_URI"
	# README:end
	;;
"refresh 2")
	REFRESH_TOKEN=$2
	# README:begin
	aws amplifyuibuilder refresh-token --endpoint-url "$AWS_ENDPOINT_URL_AMPLIFYUIBUILDER" \
		--provider figma --refresh-token-body "token=$REFRESH_TOKEN"
	# README:end
	;;
*)
	echo "usage: $0 exchange CODE REDIRECT_URI | refresh REFRESH_TOKEN" >&2
	exit 2
	;;
esac
