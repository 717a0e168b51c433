namespace TokenVerifier.AspNetCore.Authorization;

/// <summary>
/// One named authorization policy declared in configuration: an authenticated user, in one of
/// <see cref="Groups"/> (if any) and holding one of <see cref="Scopes"/> (if any).
/// At least one group or scope is required.
/// </summary>
public sealed class UserPoolPolicyDefinition
{
    /// <summary>Accepted groups (<c>cognito:groups</c>); any one suffices. Empty: no group requirement.</summary>
    public IList<string> Groups { get; } = [];

    /// <summary>Accepted scopes; any one suffices. Empty: no scope requirement.</summary>
    public IList<string> Scopes { get; } = [];

    /// <summary>Authentication schemes the policy authenticates with. Empty: the default scheme.</summary>
    public IList<string> AuthenticationSchemes { get; } = [];
}
