using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace TokenVerifier.AspNetCore.Authorization;

// Neither the authorization middleware nor the bearer handlers say which scope was missing on a 403;
// RFC 6750 §3.1 wants error="insufficient_scope" with the scopes needed, and only this layer still
// knows which requirement failed.
internal sealed class UserPoolAuthorizationResultHandler(
    [FromKeyedServices(UserPoolAuthorizationResultHandler.InnerKey)] IAuthorizationMiddlewareResultHandler inner)
    : IAuthorizationMiddlewareResultHandler
{
    // The handler that was registered before ours is re-registered under this key and wrapped, so an
    // application's own result handler keeps working.
    public const string InnerKey = "TokenVerifier.AspNetCore.Authorization.InnerResultHandler";

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);

        // A challenge (401) means "authenticate", not "get more scope": the header belongs to 403 only.
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure is { } failure)
        {
            List<string>? scopes = null;
            foreach (var requirement in failure.FailedRequirements)
            {
                if (requirement is ScopeRequirement scopeRequirement)
                {
                    scopes ??= [];
                    foreach (var scope in scopeRequirement.AllowedScopes)
                    {
                        if (!scopes.Contains(scope, StringComparer.Ordinal))
                        {
                            scopes.Add(scope);
                        }
                    }
                }
            }

            if (scopes is not null)
            {
                // Scopes are validated as RFC 6749 scope tokens, so they need no escaping inside the quotes.
                context.Response.Headers.Append(
                    HeaderNames.WWWAuthenticate,
                    $"Bearer error=\"insufficient_scope\", scope=\"{string.Join(' ', scopes)}\"");
            }
        }

        return inner.HandleAsync(next, context, policy, authorizeResult);
    }
}
