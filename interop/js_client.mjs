// Calls the local Amplify UI Builder endpoint with the AWS SDK for
// JavaScript v3, for interop_test.go:
//
//	node js_client.mjs exchange CODE REDIRECT_URI
//	node js_client.mjs refresh REFRESH_TOKEN
//	node js_client.mjs version
//
// The endpoint comes from AWS_ENDPOINT_URL_AMPLIFYUIBUILDER, the region from
// AWS_REGION, the credentials from AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY. It prints the answer as one JSON object: the output
// members, or "error" with the error's code, message, request id, HTTP status
// and whether the SDK threw the modeled exception.
//
// A middleware in the build step, which runs before signing, adds the header
// INTEROP_HEADER_NAME: INTEROP_HEADER_VALUE when they are set, and puts
// INTEROP_PATH_PREFIX before the path (the SDK parses the endpoint as a WHATWG
// URL, which removes dot segments from an endpoint's own path). The code
// between the README markers is what README.md shows.
import { readFileSync } from "node:fs";

// README:begin
import {
  AmplifyUIBuilderClient,
  ExchangeCodeForTokenCommand,
  InvalidParameterException,
  RefreshTokenCommand,
} from "@aws-sdk/client-amplifyuibuilder";

const client = new AmplifyUIBuilderClient({
  endpoint: process.env.AWS_ENDPOINT_URL_AMPLIFYUIBUILDER, // http://127.0.0.1:PORT
  region: process.env.AWS_REGION, // any region
});

// accessToken, expiresIn and refreshToken for a Figma authorization code.
const exchange = (code, redirectUri) =>
  client.send(new ExchangeCodeForTokenCommand({ provider: "figma", request: { code, redirectUri } }));

// A new accessToken and its expiresIn; keep using the same refresh token.
const refresh = (token) =>
  client.send(new RefreshTokenCommand({ provider: "figma", refreshTokenBody: { token } }));

// What a refused call says; a spent code throws the modeled InvalidParameterException.
const refusal = (err) => ({
  code: err.name,
  message: err.message,
  requestId: err.$metadata?.requestId,
  status: err.$metadata?.httpStatusCode,
  modeled: err instanceof InvalidParameterException,
});
// README:end

client.middlewareStack.add(
  (next) => async (args) => {
    const { INTEROP_HEADER_NAME: name, INTEROP_HEADER_VALUE: value, INTEROP_PATH_PREFIX: prefix } = process.env;
    if (name) args.request.headers[name] = value ?? "";
    if (prefix) args.request.path = prefix + args.request.path;
    return next(args);
  },
  { step: "build", name: "interopRequestChanges" },
);

const main = async ([op, ...rest]) => {
  if (op === "version") {
    const url = new URL(import.meta.resolve("@aws-sdk/client-amplifyuibuilder/package.json"));
    return { "@aws-sdk/client-amplifyuibuilder": JSON.parse(readFileSync(url)).version, node: process.version };
  }
  try {
    let answer;
    if (op === "exchange" && rest.length === 2) answer = await exchange(...rest);
    else if (op === "refresh" && rest.length === 1) answer = await refresh(...rest);
    else {
      console.error("usage: node js_client.mjs exchange CODE REDIRECT_URI | refresh REFRESH_TOKEN | version");
      process.exit(2);
    }
    delete answer.$metadata;
    return answer;
  } catch (err) {
    if (err.$metadata === undefined) throw err; // not an answer from the service
    return { error: refusal(err) };
  }
};

console.log(JSON.stringify(await main(process.argv.slice(2))));
