namespace TokenVerifier.IntegrationTests.Emulator;

/// <summary>The real AWS JavaScript clients that sign users in (scripts in <c>emulator/</c>).</summary>
public enum ClientLibrary
{
    /// <summary><c>@aws-sdk/client-cognito-identity-provider</c> v3: <c>InitiateAuth</c> with <c>USER_PASSWORD_AUTH</c> (<c>sign-in-sdk.mjs</c>).</summary>
    AwsSdkV3,

    /// <summary><c>amazon-cognito-identity-js</c>: <c>authenticateUser</c> with the <c>USER_PASSWORD_AUTH</c> flow (<c>sign-in-identity-js.mjs</c>).</summary>
    AmazonCognitoIdentityJs,
}
