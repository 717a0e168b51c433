using Microsoft.AspNetCore.Authorization.Infrastructure;
using TokenVerifier.AspNetCore.Authorization;

namespace Microsoft.AspNetCore.Authorization;

/// <summary>Adds user-pool scope and group requirements to an <see cref="AuthorizationPolicyBuilder"/>.</summary>
public static class UserPoolAuthorizationPolicyBuilderExtensions
{
    /// <summary>
    /// Requires an authenticated user holding at least one of <paramref name="scopes"/>
    /// (a <see cref="ScopeRequirement"/>). Call it again to require scopes from several lists.
    /// </summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="scopes">The accepted scopes, such as <c>orders/read</c>; at least one.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="scopes"/> is null or empty, or an entry is not a valid scope.</exception>
    public static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder builder, params string[] scopes)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var requirement = new ScopeRequirement(scopes, nameof(scopes));
        return RequireAuthenticatedUserOnce(builder).AddRequirements(requirement);
    }

    /// <summary>
    /// Requires an authenticated user in at least one of <paramref name="groups"/>
    /// (a <see cref="GroupRequirement"/> over <c>cognito:groups</c>). Call it again to require groups from several lists.
    /// </summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="groups">The accepted groups; at least one.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="groups"/> is null or empty, or an entry is null, empty or whitespace.</exception>
    public static AuthorizationPolicyBuilder RequireGroup(this AuthorizationPolicyBuilder builder, params string[] groups)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var requirement = new GroupRequirement(groups, nameof(groups));
        return RequireAuthenticatedUserOnce(builder).AddRequirements(requirement);
    }

    // Chained RequireScope/RequireGroup calls would otherwise stack identical checks that show up
    // repeatedly in the policy and in failure logs.
    private static AuthorizationPolicyBuilder RequireAuthenticatedUserOnce(AuthorizationPolicyBuilder builder)
    {
        foreach (var requirement in builder.Requirements)
        {
            if (requirement is DenyAnonymousAuthorizationRequirement)
            {
                return builder;
            }
        }

        return builder.RequireAuthenticatedUser();
    }
}
