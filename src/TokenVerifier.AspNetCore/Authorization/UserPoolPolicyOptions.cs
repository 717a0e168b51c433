namespace TokenVerifier.AspNetCore.Authorization;

/// <summary>
/// Named authorization policies built from user-pool groups and scopes, usually bound from the
/// <c>UserPool:Policies</c> configuration section.
/// </summary>
public sealed class UserPoolPolicyOptions
{
    /// <summary>
    /// The policies by name. Names are case-insensitive, like configuration keys and
    /// <c>AuthorizationOptions</c> policy names.
    /// </summary>
    public IDictionary<string, UserPoolPolicyDefinition> Policies { get; } =
        new Dictionary<string, UserPoolPolicyDefinition>(StringComparer.OrdinalIgnoreCase);

    // Configuration keys that bind to nothing. A misspelt "Scope" would otherwise silently leave a
    // policy with only its group requirement, so they are reported as validation failures.
    internal List<string> UnknownSettings { get; } = [];
}
