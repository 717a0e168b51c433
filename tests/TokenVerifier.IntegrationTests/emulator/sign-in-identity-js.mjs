// Signs a user in the way a browser or React Native front-end does: amazon-cognito-identity-js authenticateUser.
// The library's default flow is SRP, which the emulator does not implement, so the script selects USER_PASSWORD_AUTH.
// Prints {"accessToken","idToken","refreshToken"} as one line of JSON on stdout; on failure prints the error and exits 1.
//
//   COGNITO_ENDPOINT=http://127.0.0.1:9229 USER_POOL_ID=local_... CLIENT_ID=... COGNITO_USERNAME=alice COGNITO_PASSWORD=... \
//     node sign-in-identity-js.mjs
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";
import { required } from "./settings.mjs";

const username = required("COGNITO_USERNAME");
const pool = new CognitoUserPool({
  UserPoolId: required("USER_POOL_ID"),
  ClientId: required("CLIENT_ID"),
  endpoint: required("COGNITO_ENDPOINT").replace(/\/?$/, "/"),
});
const user = new CognitoUser({ Username: username, Pool: pool });
user.setAuthenticationFlowType("USER_PASSWORD_AUTH");

try {
  const session = await new Promise((onSuccess, onFailure) =>
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: required("COGNITO_PASSWORD") }), {
      onSuccess,
      onFailure,
      newPasswordRequired: () => onFailure(new Error("sign-in returned the challenge NEW_PASSWORD_REQUIRED instead of tokens")),
    }));
  console.log(JSON.stringify({
    accessToken: session.getAccessToken().getJwtToken(),
    idToken: session.getIdToken().getJwtToken(),
    refreshToken: session.getRefreshToken().getToken(),
  }));
} catch (error) {
  console.error(`${error.name ?? "Error"}: ${error.message}`);
  process.exit(1);
}
