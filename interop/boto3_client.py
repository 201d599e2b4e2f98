"""Calls the local Amplify UI Builder endpoint with boto3, for interop_test.go.

    boto3_client.py exchange CODE REDIRECT_URI
    boto3_client.py refresh REFRESH_TOKEN
    boto3_client.py version

The endpoint comes from AWS_ENDPOINT_URL_AMPLIFYUIBUILDER, the region from
AWS_REGION, the credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
It prints the answer as one JSON object: the output members, or "error" with
the error's code, message, request id, HTTP status and whether boto3 raised
the modeled exception. The code between the README markers is what
README.md shows.
"""

import json
import sys

import botocore.exceptions

import interop_note

# README:begin
import os

import boto3

client = boto3.client(
    "amplifyuibuilder",
    endpoint_url=os.environ["AWS_ENDPOINT_URL_AMPLIFYUIBUILDER"],  # http://127.0.0.1:PORT
    region_name=os.environ["AWS_REGION"],  # any region
)


def exchange(code, redirect_uri):
    """accessToken, expiresIn and refreshToken for a Figma authorization code."""
    return client.exchange_code_for_token(
        provider="figma", request={"code": code, "redirectUri": redirect_uri}
    )


def refresh(refresh_token):
    """A new accessToken and its expiresIn; keep using the same refresh token."""
    return client.refresh_token(
        provider="figma", refreshTokenBody={"token": refresh_token}
    )


def refusal(err):
    """What a refused call says; a spent code raises the modeled
    client.exceptions.InvalidParameterException."""
    return {
        "code": err.response["Error"]["Code"],
        "message": err.response["Error"]["Message"],
        "requestId": err.response["ResponseMetadata"].get("RequestId"),
        "status": err.response["ResponseMetadata"]["HTTPStatusCode"],
        "modeled": isinstance(err, client.exceptions.InvalidParameterException),
    }
# README:end


def main(args):
    if args == ["version"]:
        print(json.dumps({"boto3": boto3.__version__, "botocore": botocore.__version__}))
        return 0
    interop_note.register(client.meta.events)
    try:
        if len(args) == 3 and args[0] == "exchange":
            answer = exchange(args[1], args[2])
        elif len(args) == 2 and args[0] == "refresh":
            answer = refresh(args[1])
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except botocore.exceptions.ClientError as err:
        print(json.dumps({"error": refusal(err)}))
        return 0
    answer.pop("ResponseMetadata", None)
    print(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
