using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using TokenVerifier.AspNetCore.Authentication;

namespace TokenVerifier.AspNetCore.Events;

/// <summary>Raised before the 401 challenge is written; change <see cref="Error"/>/<see cref="ErrorDescription"/> or write the response yourself and call <see cref="HandleResponse"/>.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="properties">The challenge's properties.</param>
public sealed class UserPoolChallengeContext(HttpContext context, AuthenticationScheme scheme, UserPoolAuthenticationOptions options, AuthenticationProperties properties)
    : PropertiesContext<UserPoolAuthenticationOptions>(context, scheme, options, properties)
{
    /// <summary>The failure of authentication, if a token was sent and rejected.</summary>
    public Exception? AuthenticateFailure { get; set; }

    /// <summary>
    /// The RFC 6750 <c>error</c> (<c>invalid_token</c> when a token was rejected). Null when the revocation store could not
    /// answer under <c>FailClosed</c>: the handler then answers 503 with <c>Retry-After</c> instead of 401.
    /// </summary>
    public string? Error { get; set; }

    /// <summary>The RFC 6750 <c>error_description</c>.</summary>
    public string? ErrorDescription { get; set; }

    /// <summary>True once <see cref="HandleResponse"/> was called: the handler then writes nothing.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skips the handler's default challenge response.</summary>
    public void HandleResponse() => Handled = true;
}
