using Microsoft.AspNetCore.Authorization;
using TokenVerifier.Claims;

namespace TokenVerifier.AspNetCore.Authorization;

/// <summary>Succeeds a <see cref="GroupRequirement"/> when the user is in one of its groups.</summary>
public sealed class GroupRequirementHandler : AuthorizationHandler<GroupRequirement>
{
    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, GroupRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);

        if (RequirementValues.HasAnyClaim(context.User, UserPoolClaimTypes.Groups, requirement.AllowedGroups))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
