namespace TokenVerifier.AspNetCore.Authorization;

/// <summary>
/// One named authorization policy declared in configuration: an authenticated user, in one of
/// <see cref="Groups"/> (if any), holding one of <see cref="Scopes"/> (if any), of the <see cref="Caller"/> kind and
/// signed in within <see cref="RecentSignIn"/> (if set). At least one of these is required.
/// </summary>
public sealed class UserPoolPolicyDefinition
{
    /// <summary>Accepted groups (<c>cognito:groups</c>); any one suffices. Empty: no group requirement.</summary>
    public IList<string> Groups { get; } = [];

    /// <summary>Accepted scopes; any one suffices. Empty: no scope requirement.</summary>
    public IList<string> Scopes { get; } = [];

    /// <summary>Users only, machine clients only, or either (the default).</summary>
    public UserPoolCaller Caller { get; set; }

    /// <summary>The oldest sign-in (<c>auth_time</c>) accepted, for step-up policies; in configuration a time span such as <c>"00:05:00"</c>. Null: no limit.</summary>
    public TimeSpan? RecentSignIn { get; set; }

    /// <summary>Authentication schemes the policy authenticates with. Empty: the default scheme.</summary>
    public IList<string> AuthenticationSchemes { get; } = [];
}
