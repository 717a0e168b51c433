using Microsoft.AspNetCore.Authorization;
using TokenVerifier.Claims;

namespace TokenVerifier.AspNetCore.Authorization;

/// <summary>
/// Requires a machine client: an access token from the client-credentials grant, with no <c>username</c> and a
/// <c>sub</c> equal to its <c>client_id</c> (see <see cref="MachineClients"/>). A user's token never satisfies it.
/// </summary>
/// <remarks>Like <see cref="ScopeRequirement"/>, the requirement is its own handler.</remarks>
public sealed class MachineClientRequirement : IAuthorizationRequirement, IAuthorizationHandler
{
    /// <summary>Succeeds this requirement for a machine client's token; never fails it.</summary>
    /// <param name="context">The authorization context.</param>
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (MachineClients.IsMachineClient(context.User))
        {
            context.Succeed(this);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override string ToString() => $"{nameof(MachineClientRequirement)}: the caller must be a machine client";
}
