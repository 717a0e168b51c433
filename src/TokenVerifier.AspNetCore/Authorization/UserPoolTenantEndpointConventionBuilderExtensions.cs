using Microsoft.AspNetCore.Authorization;
using TokenVerifier.AspNetCore.Authorization;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds a user-pool (tenant) requirement to endpoints and route groups.</summary>
public static class UserPoolTenantEndpointConventionBuilderExtensions
{
    /// <summary>Requires an authenticated user whose token came from one of <paramref name="poolIds"/>.</summary>
    /// <typeparam name="TBuilder">The endpoint convention builder type.</typeparam>
    /// <param name="builder">The endpoint or route group.</param>
    /// <param name="poolIds">The accepted pool ids, such as <c>us-east-1_AbC123</c>; at least one.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="poolIds"/> is null or empty, or an entry is null, empty or whitespace.</exception>
    public static TBuilder RequireUserPool<TBuilder>(this TBuilder builder, params string[] poolIds)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Built before the convention is queued, so a bad argument throws at start-up.
        var requirement = new UserPoolRequirement(poolIds, nameof(poolIds));
        return builder.RequireAuthorization(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(requirement).Build());
    }
}
