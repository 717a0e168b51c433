using Microsoft.AspNetCore.Authorization;
using TokenVerifier.Claims;

namespace TokenVerifier.AspNetCore.Authorization;

/// <summary>
/// Requires a signed-in user: an authenticated principal none of whose identities is a machine client's
/// (see <see cref="MachineClients"/>). A client-credentials token never satisfies it.
/// </summary>
/// <remarks>Like <see cref="ScopeRequirement"/>, the requirement is its own handler.</remarks>
public sealed class UserRequirement : IAuthorizationRequirement, IAuthorizationHandler
{
    /// <summary>Succeeds this requirement for an authenticated caller that is not a machine client; never fails it.</summary>
    /// <param name="context">The authorization context.</param>
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.Identities.Any(identity => identity.IsAuthenticated) && !MachineClients.IsMachineClient(context.User))
        {
            context.Succeed(this);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override string ToString() => $"{nameof(UserRequirement)}: the caller must be a user, not a machine client";
}
