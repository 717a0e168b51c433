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

    /// <summary>Callbacks at each step of authentication; see <see cref="UserPoolEvents"/>.</summary>
    public new UserPoolEvents Events
    {
        get => (UserPoolEvents)base.Events!;
        set => base.Events = value;
    }

    // Keys of the bound configuration section that bind to nothing; reported at start with the scheme's other errors.
    internal List<string> UnknownSettings { get; } = [];
}
