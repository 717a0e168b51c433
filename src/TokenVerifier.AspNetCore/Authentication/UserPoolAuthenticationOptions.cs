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

    /// <summary>
    /// Slows down a connection that keeps sending tokens this scheme refuses: once <see cref="RefusedTokensBeforeDelay"/>
    /// tokens in a row on one connection were refused, each further refusal on it is answered only after this delay and up
    /// to half as long again, chosen at random for each refusal (so that connections opened together do not all come due
    /// together), until a token on it is accepted. A client flooding forged tokens over its connections then gets a few
    /// answers a second instead of taking the server's CPU from everyone else; the waiting costs no CPU. Zero (the default) turns it off; at
    /// most 30 seconds. Counted per connection, on servers that keep items per connection (Kestrel; not the test server).
    /// Leave it off behind a proxy or load balancer that carries many clients' requests over one connection (ALB, API
    /// Gateway, YARP): one client's bad tokens would then slow the others. Outages (503) and requests without a token do
    /// not count.
    /// </summary>
    public TimeSpan RefusedTokenDelay { get; set; }

    /// <summary>How many refused tokens in a row one connection may send before <see cref="RefusedTokenDelay"/> applies. Default 3; from 1 to 1,000.</summary>
    public int RefusedTokensBeforeDelay { get; set; } = 3;

    /// <summary>Callbacks at each step of authentication; see <see cref="UserPoolEvents"/>.</summary>
    public new UserPoolEvents Events
    {
        get => (UserPoolEvents)base.Events!;
        set => base.Events = value;
    }

    // Keys of the bound configuration section that bind to nothing; reported at start with the scheme's other errors.
    internal List<string> UnknownSettings { get; } = [];
}
