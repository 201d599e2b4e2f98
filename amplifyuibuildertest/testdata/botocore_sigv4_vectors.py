"""Signs requests as botocore does, for TestOtherSDKsSignatures.

Run: python3 botocore_sigv4_vectors.py > botocore_sigv4_vectors.json

It needs botocore (Debian python3-botocore) and no network: it only signs.
The requests carry dot segments in their paths and a tab in a signed header
value, which botocore canonicalises as the SigV4 specification says.
"""
import datetime
import json
from unittest import mock

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SIGNED_AT = datetime.datetime(2025, 6, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)
HOST = "127.0.0.1:4599"
CREDENTIALS = Credentials("LOCALTESTACCESSKEY", "local-test-secret-access-key")

CASES = [
    ("exchange, dot segments and a tab", "/tokens/./figma/../figma",
     '{"code":"code-unknown","redirectUri":"https://example.com/callback"}',
     {"X-Custom": "a\tb   c\t"}, "eu-west-1"),
    ("refresh, empty and dot segments", "/tokens//figma/refresh/.",
     '{"token":"refresh-unknown"}',
     {"X-Custom": " x \t\t y"}, "ap-southeast-2"),
]

vectors = []
with mock.patch.object(botocore.auth, "get_current_datetime", return_value=SIGNED_AT):
    for name, path, body, extra, region in CASES:
        headers = {"Content-Type": "application/json"}
        headers.update(extra)
        request = AWSRequest(method="POST", url="http://" + HOST + path, data=body, headers=headers)
        botocore.auth.SigV4Auth(CREDENTIALS, "amplifyuibuilder", region).add_auth(request)
        vectors.append({
            "name": name,
            "path": path,
            "host": HOST,
            "body": body,
            "region": region,
            "headers": {k: v for k, v in request.headers.items()},
        })
print(json.dumps(vectors, indent=2))
