namespace TokenVerifier.AspNetCore.Authorization;

// Stand-in until the core's UserPoolClaimTypes exists on this branch; the values are the
// original Cognito claim names that the authentication handler keeps unrenamed.
internal static class ClaimNames
{
    public const string Groups = "cognito:groups";
    public const string Scope = "scope";
}
