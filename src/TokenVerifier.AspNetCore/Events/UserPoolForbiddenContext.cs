using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using TokenVerifier.AspNetCore.Authentication;

namespace TokenVerifier.AspNetCore.Events;

/// <summary>Raised before the 403 response of an authenticated caller who failed authorization.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
public sealed class UserPoolForbiddenContext(HttpContext context, AuthenticationScheme scheme, UserPoolAuthenticationOptions options)
    : ResultContext<UserPoolAuthenticationOptions>(context, scheme, options);
