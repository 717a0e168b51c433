// Signs a user in the way a back-end or a CLI does: AWS SDK for JavaScript v3, InitiateAuth with USER_PASSWORD_AUTH.
// Prints {"accessToken","idToken","refreshToken"} as one line of JSON on stdout; on failure prints the error and exits 1.
//
//   COGNITO_ENDPOINT=http://127.0.0.1:9229 CLIENT_ID=... COGNITO_USERNAME=alice COGNITO_PASSWORD=... node sign-in-sdk.mjs
import { CognitoIdentityProviderClient, InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { required } from "./settings.mjs";

const cognito = new CognitoIdentityProviderClient({
  endpoint: required("COGNITO_ENDPOINT"),
  // The SDK refuses to run without a region; the emulator ignores it. InitiateAuth is sent unsigned, so no credentials.
  region: process.env.AWS_REGION ?? "us-east-1",
});

try {
  const response = await cognito.send(new InitiateAuthCommand({
    AuthFlow: "USER_PASSWORD_AUTH",
    ClientId: required("CLIENT_ID"),
    AuthParameters: { USERNAME: required("COGNITO_USERNAME"), PASSWORD: required("COGNITO_PASSWORD") },
  }));
  const result = response.AuthenticationResult;
  if (!result) {
    throw new Error(`sign-in returned the challenge ${response.ChallengeName} instead of tokens`);
  }

  console.log(JSON.stringify({ accessToken: result.AccessToken, idToken: result.IdToken, refreshToken: result.RefreshToken }));
} catch (error) {
  console.error(`${error.name}: ${error.message}`);
  process.exit(1);
}
