using Microsoft.AspNetCore.Authentication;
using TokenVerifier.AspNetCore.Events;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>Options of one user-pool authentication scheme.</summary>
public sealed class UserPoolAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>Creates options with default events.</summary>
    public UserPoolAuthenticationOptions()
    {
        Events = new UserPoolEvents();
    }

    /// <summary>What tokens are accepted: pools, app clients, token uses, skew, key cache settings.</summary>
    public UserPoolValidationOptions Validation { get; set; } = new();

    /// <summary>Put <c>error_description</c> in the <c>WWW-Authenticate</c> challenge. Default true; descriptions never contain the token.</summary>
    public bool IncludeErrorDetails { get; set; } = true;

    /// <summary>The <c>realm</c> of the challenge, if any.</summary>
    public string? Realm { get; set; }

    /// <summary>
    /// Path prefixes (for example <c>/hubs</c>) under which a request without an <c>Authorization</c> header may carry its
    /// token in the <c>access_token</c> query parameter, as browsers' WebSocket and Server-Sent Events clients (SignalR's
    /// among them) must. Empty by default: tokens come from the header only. Prefixes match whole segments, ignoring case;
    /// a query token on any other path is ignored, and a request with both a header and a query token is refused with 400.
    /// </summary>
    public IList<string> QueryTokenPaths { get; set; } = [];

    /// <summary>Callbacks at each step of authentication; see <see cref="UserPoolEvents"/>.</summary>
    public new UserPoolEvents Events
    {
        get => (UserPoolEvents)base.Events!;
        set => base.Events = value;
    }

    // Keys of the bound configuration section that bind to nothing; reported at start with the scheme's other errors.
    internal List<string> UnknownSettings { get; } = [];
}
