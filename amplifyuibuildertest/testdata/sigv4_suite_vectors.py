"""Signs the request shapes of the public AWS SigV4 test suite, for
TestSigV4SuiteShapes.

Run: python3 sigv4_suite_vectors.py > sigv4_suite_vectors.json

The suite's own vectors are signed for service "service" on another host,
so they cannot be replayed here. This script signs the same shapes (its
duplicate and multi-value headers, header whitespace, query order and
encoding, UTF-8, dot segments, a session token signed or added after
signing) for amplifyuibuilder on the local endpoint, computing each
signature step by step as the SigV4 specification describes, with nothing
but the Python standard library: an implementation independent of
aws-sdk-go-v2's signer and of botocore.
"""
import hashlib
import hmac
import json
import urllib.parse

SIGNED_AT = "20250601T120000Z"
HOST = "127.0.0.1:4599"
ACCESS_KEY, SECRET_KEY, SESSION_TOKEN = "AKIDSUITE", "suite-secret-access-key", "suite-session-token"
REGION, SERVICE = "us-east-1", "amplifyuibuilder"
BODY = '{"code":"code-unknown","redirectUri":"https://example.com/callback"}'


def encode(s, safe=""):
    return urllib.parse.quote(s, safe="-_.~" + safe)


def remove_dot_segments(path):
    kept = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if kept:
                kept.pop()
            continue
        kept.append(segment)
    out = "/" + "/".join(kept)
    if path.endswith("/") and kept:
        out += "/"
    return out


def canonical_query(query):
    if not query:
        return ""
    pairs = []
    for pair in query.split("&"):
        name, _, value = pair.partition("=")
        pairs.append((encode(urllib.parse.unquote(name)), encode(urllib.parse.unquote(value))))
    return "&".join(n + "=" + v for n, v in sorted(pairs))


def authorization(path, query, headers, signed_names):
    canonical_headers = ""
    for name in signed_names:
        values = [" ".join(v.split()) for k, v in headers if k.lower() == name]
        canonical_headers += name + ":" + ",".join(values) + "\n"
    signed = ";".join(signed_names)
    request = "\n".join([
        "POST",
        encode(remove_dot_segments(path), "/"),  # the path as sent, encoded once more
        canonical_query(query),
        canonical_headers,
        signed,
        hashlib.sha256(BODY.encode()).hexdigest(),
    ])
    scope = "/".join([SIGNED_AT[:8], REGION, SERVICE, "aws4_request"])
    to_sign = "\n".join(["AWS4-HMAC-SHA256", SIGNED_AT, scope, hashlib.sha256(request.encode()).hexdigest()])
    key = ("AWS4" + SECRET_KEY).encode()
    for part in (SIGNED_AT[:8], REGION, SERVICE, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (ACCESS_KEY, scope, signed, signature)


# name, path as sent, query as sent, extra headers (in order, repeats kept),
# and whether the session token is added after signing.
CASES = [
    ("vanilla", "/tokens/figma", "", [], False),
    ("header-key-duplicate", "/tokens/figma", "", [("My-Header1", "value2"), ("My-Header1", "value2"), ("My-Header1", "value1")], False),
    ("header-value-order", "/tokens/figma", "", [("My-Header1", "value4"), ("My-Header1", "value1"), ("My-Header1", "value3"), ("My-Header1", "value2")], False),
    ("header-value-trim", "/tokens/figma", "", [("My-Header1", " value1 "), ("My-Header2", '"a   b   c"')], False),
    ("header-value-tabs", "/tokens/figma", "", [("My-Header1", "\ta\t\tb \t c\t")], False),
    ("header-key-case", "/tokens/figma", "", [("MY-HEADER1", "VALUE1")], False),
    ("query-order-key-case", "/tokens/figma", "Param2=value2&Param1=value1", [], False),
    ("query-order-value", "/tokens/figma", "Param1=value2&Param1=Value1", [], False),
    ("query-unreserved", "/tokens/figma", "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", [], False),
    ("query-utf8", "/tokens/figma", "%E1%88%B4=bar", [], False),
    ("query-empty-value", "/tokens/figma", "Param1=", [], False),
    ("query-semicolon", "/tokens/figma", "a=1;b=2", [], False),
    ("normalize-relative", "/tokens/figma/example/..", "", [], False),
    ("normalize-relative-relative", "/tokens/figma/example1/example2/../..", "", [], False),
    ("normalize-slash-dot-slash", "/tokens/./figma", "", [], False),
    ("normalize-slashes", "//tokens//figma", "", [], False),
    ("normalize-pointless-dot", "/./tokens/figma", "", [], False),
    ("path-utf8", "/tokens/%E1%88%B4", "", [], False),
    ("path-space", "/tokens/fi%20gma", "", [], False),
    ("sts-header-before", "/tokens/figma", "", [], False),
    ("sts-header-after", "/tokens/figma", "", [], True),
]

vectors = []
for name, path, query, extra, token_after in CASES:
    headers = [("Host", HOST), ("Content-Type", "application/json"), ("X-Amz-Date", SIGNED_AT)] + extra
    if not token_after:
        headers.append(("X-Amz-Security-Token", SESSION_TOKEN))
    signed_names = sorted(set(k.lower() for k, _ in headers))
    headers.append(("Authorization", authorization(path, query, headers, signed_names)))
    if token_after:
        headers.append(("X-Amz-Security-Token", SESSION_TOKEN))
    vectors.append({
        "name": name,
        "target": path + ("?" + query if query else ""),
        "headers": [[k, v] for k, v in headers],
        "body": BODY,
    })
print(json.dumps(vectors, indent=1))
