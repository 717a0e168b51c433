namespace TokenVerifier.Validation;

/// <summary>The <c>token_use</c> values of Cognito user-pool tokens.</summary>
public static class TokenUses
{
    /// <summary>An access token: carries <c>client_id</c> and <c>scope</c>, has no <c>aud</c>.</summary>
    public const string Access = "access";

    /// <summary>An ID token: carries <c>aud</c> (the app client) and user attributes.</summary>
    public const string Id = "id";
}
