using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Events;

/// <summary>Raised after a token passed every check; the principal may be changed or the result overridden.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="token">The validated token.</param>
public sealed class UserPoolTokenValidatedContext(HttpContext context, AuthenticationScheme scheme, UserPoolAuthenticationOptions options, UserPoolToken token)
    : ResultContext<UserPoolAuthenticationOptions>(context, scheme, options)
{
    /// <summary>The validated token.</summary>
    public UserPoolToken ValidatedToken { get; } = token;
}
