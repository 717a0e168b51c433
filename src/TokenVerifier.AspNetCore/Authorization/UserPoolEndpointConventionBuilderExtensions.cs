using Microsoft.AspNetCore.Authorization;
using TokenVerifier.AspNetCore.Authorization;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Adds user-pool scope, group, caller and sign-in age requirements to endpoints: minimal API endpoints, route groups
/// and anything else that is an <see cref="IEndpointConventionBuilder"/>.
/// </summary>
public static class UserPoolEndpointConventionBuilderExtensions
{
    /// <summary>Requires an authenticated user holding at least one of <paramref name="scopes"/>.</summary>
    /// <typeparam name="TBuilder">The endpoint convention builder type.</typeparam>
    /// <param name="builder">The endpoint or route group.</param>
    /// <param name="scopes">The accepted scopes, such as <c>orders/read</c>; at least one.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="scopes"/> is null or empty, or an entry is not a valid scope.</exception>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, params string[] scopes)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var requirement = new ScopeRequirement(scopes, nameof(scopes));
        return builder.RequireAuthorization(Policy(requirement));
    }

    /// <summary>Requires an authenticated user in at least one of <paramref name="groups"/>.</summary>
    /// <typeparam name="TBuilder">The endpoint convention builder type.</typeparam>
    /// <param name="builder">The endpoint or route group.</param>
    /// <param name="groups">The accepted groups; at least one.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="groups"/> is null or empty, or an entry is null, empty or whitespace.</exception>
    public static TBuilder RequireGroup<TBuilder>(this TBuilder builder, params string[] groups)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var requirement = new GroupRequirement(groups, nameof(groups));
        return builder.RequireAuthorization(Policy(requirement));
    }

    /// <summary>Requires a signed-in user, not a machine client: a client-credentials token is refused.</summary>
    /// <typeparam name="TBuilder">The endpoint convention builder type.</typeparam>
    /// <param name="builder">The endpoint or route group.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static TBuilder RequireUser<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.RequireAuthorization(Policy(new UserRequirement()));
    }

    /// <summary>Requires a machine client's token, from the client-credentials grant: a user's token is refused.</summary>
    /// <typeparam name="TBuilder">The endpoint convention builder type.</typeparam>
    /// <param name="builder">The endpoint or route group.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static TBuilder RequireMachineClient<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.RequireAuthorization(Policy(new MachineClientRequirement()));
    }

    /// <summary>
    /// Requires a user who signed in (<c>auth_time</c>) at most <paramref name="maxAge"/> ago, for step-up flows.
    /// Tokens without <c>auth_time</c> and machine clients are refused.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint convention builder type.</typeparam>
    /// <param name="builder">The endpoint or route group.</param>
    /// <param name="maxAge">The oldest sign-in accepted; positive.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxAge"/> is zero or negative.</exception>
    public static TBuilder RequireRecentSignIn<TBuilder>(this TBuilder builder, TimeSpan maxAge)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var requirement = new RecentSignInRequirement(maxAge);
        return builder.RequireAuthorization(Policy(requirement));
    }

    // The requirement is built before the convention is queued so that a bad argument throws at the
    // call site during start-up, not later when the endpoints are first materialised.
    private static AuthorizationPolicy Policy(IAuthorizationRequirement requirement) =>
        new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(requirement).Build();
}
