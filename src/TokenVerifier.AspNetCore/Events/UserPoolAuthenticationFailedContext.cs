using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using TokenVerifier.AspNetCore.Authentication;

namespace TokenVerifier.AspNetCore.Events;

/// <summary>Raised when a token was rejected.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="exception">Why the token was rejected.</param>
public sealed class UserPoolAuthenticationFailedContext(HttpContext context, AuthenticationScheme scheme, UserPoolAuthenticationOptions options, UserPoolAuthenticationException exception)
    : ResultContext<UserPoolAuthenticationOptions>(context, scheme, options)
{
    /// <summary>Why the token was rejected.</summary>
    public UserPoolAuthenticationException Exception { get; set; } = exception;
}
