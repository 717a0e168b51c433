using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TokenVerifier.AspNetCore.OpenApi.Security;

/// <summary>Declares the bearer scheme that the operations refer to.</summary>
internal sealed class BearerSecuritySchemeTransformer(string schemeName) : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[schemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An Amazon Cognito user-pool access token (token_use: access). Required scopes are listed per operation (one security object per acceptable set); required groups under x-required-groups, a list of lists: at least one group of every inner list.",
        };
        return Task.CompletedTask;
    }
}
