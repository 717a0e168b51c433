namespace TokenVerifier.Claims;

/// <summary>Claim types of Cognito user-pool tokens, kept under their original names.</summary>
public static class UserPoolClaimTypes
{
    /// <summary>Group membership, one claim per group; the role claim type.</summary>
    public const string Groups = "cognito:groups";

    /// <summary>One claim per space-separated scope of an access token.</summary>
    public const string Scope = "scope";

    /// <summary>The user name in access tokens; the name claim type of access tokens.</summary>
    public const string Username = "username";

    /// <summary>The user name in ID tokens; the name claim type of ID tokens.</summary>
    public const string CognitoUsername = "cognito:username";

    /// <summary><c>access</c> or <c>id</c>.</summary>
    public const string TokenUse = "token_use";

    /// <summary>The app client of an access token.</summary>
    public const string ClientId = "client_id";

    /// <summary>The app client of an ID token.</summary>
    public const string Audience = "aud";

    /// <summary>The user's stable identifier.</summary>
    public const string Subject = "sub";

    /// <summary>The token's issuer.</summary>
    public const string Issuer = "iss";

    /// <summary>The token's unique id.</summary>
    public const string TokenId = "jti";

    /// <summary>The id of the sign-in (refresh token) the token descends from.</summary>
    public const string OriginTokenId = "origin_jti";

    /// <summary>Expiry, seconds since the Unix epoch.</summary>
    public const string Expiration = "exp";

    /// <summary>Issue time, seconds since the Unix epoch.</summary>
    public const string IssuedAt = "iat";

    /// <summary>Not-before time, seconds since the Unix epoch.</summary>
    public const string NotBefore = "nbf";

    /// <summary>Time of the sign-in, seconds since the Unix epoch.</summary>
    public const string AuthTime = "auth_time";

    /// <summary>The Cognito event id of the sign-in.</summary>
    public const string EventId = "event_id";

    /// <summary>
    /// The id of the configured (or resolved) pool whose issuer the token matched, added by TokenVerifier with
    /// <see cref="TokenVerifierIssuer"/> as its <c>Issuer</c>: never read from the token. A token carrying a claim of this
    /// name keeps it, with the token's own issuer, and it satisfies no user-pool requirement.
    /// </summary>
    public const string UserPool = "tokenverifier:pool";

    /// <summary>The <c>Issuer</c> and <c>OriginalIssuer</c> of the claims TokenVerifier adds itself (not an absolute URL, so no token issuer equals it).</summary>
    public const string TokenVerifierIssuer = "TokenVerifier";
}
