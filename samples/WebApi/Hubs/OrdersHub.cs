using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using TokenVerifier.Claims;

namespace WebApi.Hubs;

/// <summary>
/// Order notices in real time. Browsers connect with the token in the <c>access_token</c> query parameter, which the
/// scheme reads only under <c>UserPool:QueryTokenPaths</c> (<c>/hubs</c>); everyone signed in may listen, only members of
/// <c>admins</c> may announce.
/// </summary>
[Authorize]
public sealed class OrdersHub : Hub
{
    /// <summary>Who the connection belongs to, as the token says.</summary>
    public string WhoAmI() => Context.User!.Identity!.Name!;

    /// <summary>The scopes of the connection's token.</summary>
    public IEnumerable<string> Scopes() => Context.User!.FindAll(UserPoolClaimTypes.Scope).Select(c => c.Value);

    /// <summary>Sends a notice to every connection; the <c>admins</c> policy (appsettings.json) guards it.</summary>
    /// <param name="notice">The text to send.</param>
    [Authorize(Policy = "admins")]
    public Task Announce(string notice) => Clients.All.SendAsync("notice", notice);
}
