using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using TokenVerifier.AspNetCore.Authentication;

namespace TokenVerifier.AspNetCore.Events;

/// <summary>Raised before the token is read; set <see cref="Token"/> to take it from somewhere other than the Authorization header.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
public sealed class UserPoolMessageReceivedContext(HttpContext context, AuthenticationScheme scheme, UserPoolAuthenticationOptions options)
    : ResultContext<UserPoolAuthenticationOptions>(context, scheme, options)
{
    /// <summary>The token to validate instead of the Authorization header's bearer token.</summary>
    public string? Token { get; set; }
}
