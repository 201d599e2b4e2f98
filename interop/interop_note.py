"""Adds a header to every Amplify UI Builder request before it is signed.

The header's name and value come from INTEROP_HEADER_NAME and
INTEROP_HEADER_VALUE; without them it adds nothing. boto3_client.py
registers it on its client, and the AWS CLI loads this module as a plugin
(awscli_initialize) from the [plugins] section of its config file, so that
both sign a header whose value the test chose, such as one with a tab.
"""

import os

# before-sign is emitted after the request is built and before SigV4 signs
# it, so the header is among the signed ones.
EVENT = "before-sign.amplifyuibuilder"


def add_header(request, **kwargs):
    name = os.environ.get("INTEROP_HEADER_NAME")
    if name:
        request.headers[name] = os.environ.get("INTEROP_HEADER_VALUE", "")


def register(events):
    events.register(EVENT, add_header)


def awscli_initialize(cli):
    register(cli)
