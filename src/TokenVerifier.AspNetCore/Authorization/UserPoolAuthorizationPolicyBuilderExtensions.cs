using Microsoft.AspNetCore.Authorization.Infrastructure;
using TokenVerifier.AspNetCore.Authorization;

namespace Microsoft.AspNetCore.Authorization;

/// <summary>Adds user-pool scope, group, caller and sign-in age requirements to an <see cref="AuthorizationPolicyBuilder"/>.</summary>
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

    /// <summary>
    /// Requires a signed-in user, not a machine client (a <see cref="UserRequirement"/>): a client-credentials token is refused.
    /// </summary>
    /// <param name="builder">The policy builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static AuthorizationPolicyBuilder RequireUser(this AuthorizationPolicyBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return RequireAuthenticatedUserOnce(builder).AddRequirements(new UserRequirement());
    }

    /// <summary>
    /// Requires a machine client's token, from the client-credentials grant (a <see cref="MachineClientRequirement"/>):
    /// a user's token is refused.
    /// </summary>
    /// <param name="builder">The policy builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static AuthorizationPolicyBuilder RequireMachineClient(this AuthorizationPolicyBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return RequireAuthenticatedUserOnce(builder).AddRequirements(new MachineClientRequirement());
    }

    /// <summary>
    /// Requires a user who signed in (<c>auth_time</c>) at most <paramref name="maxAge"/> ago, for step-up flows
    /// (a <see cref="RecentSignInRequirement"/>). Tokens without <c>auth_time</c> and machine clients are refused.
    /// </summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="maxAge">The oldest sign-in accepted; positive.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxAge"/> is zero or negative.</exception>
    public static AuthorizationPolicyBuilder RequireRecentSignIn(this AuthorizationPolicyBuilder builder, TimeSpan maxAge)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var requirement = new RecentSignInRequirement(maxAge);
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
