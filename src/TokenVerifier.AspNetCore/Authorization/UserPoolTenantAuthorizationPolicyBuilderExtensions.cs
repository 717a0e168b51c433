using Microsoft.AspNetCore.Authorization.Infrastructure;
using TokenVerifier.AspNetCore.Authorization;

namespace Microsoft.AspNetCore.Authorization;

/// <summary>Adds a user-pool (tenant) requirement to an <see cref="AuthorizationPolicyBuilder"/>.</summary>
public static class UserPoolTenantAuthorizationPolicyBuilderExtensions
{
    /// <summary>
    /// Requires an authenticated user whose token came from one of <paramref name="poolIds"/> (a <see cref="UserPoolRequirement"/>
    /// over the <c>tokenverifier:pool</c> claim the validator adds, never a claim of the token).
    /// </summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="poolIds">The accepted pool ids, such as <c>us-east-1_AbC123</c>; at least one.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="poolIds"/> is null or empty, or an entry is null, empty or whitespace.</exception>
    public static AuthorizationPolicyBuilder RequireUserPool(this AuthorizationPolicyBuilder builder, params string[] poolIds)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var requirement = new UserPoolRequirement(poolIds, nameof(poolIds));
        foreach (var existing in builder.Requirements)
        {
            // Chained with RequireScope or RequireGroup: one authenticated-user check is enough.
            if (existing is DenyAnonymousAuthorizationRequirement)
            {
                return builder.AddRequirements(requirement);
            }
        }

        return builder.RequireAuthenticatedUser().AddRequirements(requirement);
    }
}
