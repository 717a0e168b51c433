using Microsoft.AspNetCore.Authorization;
using TokenVerifier.Claims;

namespace TokenVerifier.AspNetCore.Authorization;

/// <summary>Succeeds a <see cref="ScopeRequirement"/> when the user holds one of its scopes.</summary>
public sealed class ScopeRequirementHandler : AuthorizationHandler<ScopeRequirement>
{
    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);

        // Never Fail(): another handler may still grant the requirement.
        if (RequirementValues.HasAnyClaim(context.User, UserPoolClaimTypes.Scope, requirement.AllowedScopes))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
