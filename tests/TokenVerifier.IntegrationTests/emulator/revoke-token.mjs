// Signs out the way a client revokes its own sign-in: AWS SDK for JavaScript v3 RevokeToken with the refresh token, so no
// new token can be obtained from it. amazon-cognito-identity-js signOut() would only do this for tokens with an
// origin_jti claim, which the emulator never issues, so the SDK call is made directly.
// The refresh token is read from the environment, never from the command line (where `ps` would show it).
// Prints nothing on success; on failure prints the error's name and message and exits 1.
//
//   COGNITO_ENDPOINT=http://127.0.0.1:9229 CLIENT_ID=... REFRESH_TOKEN=... node revoke-token.mjs
import { CognitoIdentityProviderClient, RevokeTokenCommand } from "@aws-sdk/client-cognito-identity-provider";
import { required } from "./settings.mjs";

const cognito = new CognitoIdentityProviderClient({
  endpoint: required("COGNITO_ENDPOINT"),
  // The SDK refuses to run without a region; the emulator ignores it. RevokeToken is sent unsigned, so no credentials.
  region: process.env.AWS_REGION ?? "us-east-1",
});

try {
  await cognito.send(new RevokeTokenCommand({ ClientId: required("CLIENT_ID"), Token: required("REFRESH_TOKEN") }));
} catch (error) {
  console.error(`${error.name}: ${error.message}`);
  process.exit(1);
}
