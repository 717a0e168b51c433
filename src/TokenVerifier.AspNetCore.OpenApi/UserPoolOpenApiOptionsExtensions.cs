using Microsoft.AspNetCore.OpenApi;
using TokenVerifier.AspNetCore.OpenApi.Security;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds TokenVerifier's authorization facts to the OpenAPI documents of <c>AddOpenApi</c>. In the dependency-injection
/// namespace, beside <c>AddOpenApi</c> itself, so <c>AddOpenApi(o =&gt; o.AddUserPoolSecurity())</c> needs no extra <c>using</c>.
/// </summary>
public static class UserPoolOpenApiOptionsExtensions
{
    /// <summary>The default name of the HTTP bearer security scheme the document declares.</summary>
    public const string DefaultSchemeName = "Bearer";

    /// <summary>
    /// Declares an HTTP bearer security scheme and writes each operation's effective authorization into it: one security
    /// object per acceptable set of scopes (from <c>RequireScope</c>, <c>[RequireScope]</c> and policies), the groups
    /// under <c>x-required-groups</c> (a list of lists: at least one group of every inner list), and the 401 and 403
    /// answers. It reads the same endpoint metadata the authorization middleware combines, so the document cannot
    /// drift from what is enforced: <c>builder.Services.AddOpenApi(o =&gt; o.AddUserPoolSecurity());</c>
    /// </summary>
    /// <param name="options">The options of one OpenAPI document.</param>
    /// <param name="schemeName">The security scheme's name in <c>components.securitySchemes</c>.</param>
    /// <returns>The same options, for chaining.</returns>
    public static OpenApiOptions AddUserPoolSecurity(this OpenApiOptions options, string schemeName = DefaultSchemeName)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(schemeName);

        options.AddDocumentTransformer(new BearerSecuritySchemeTransformer(schemeName));
        options.AddOperationTransformer(new AuthorizationOperationTransformer(schemeName));
        return options;
    }
}
