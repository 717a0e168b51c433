using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using TokenVerifier.AspNetCore.Authorization;

namespace TokenVerifier.AspNetCore.OpenApi.Security;

/// <summary>
/// Writes each endpoint's effective authorization into its OpenAPI operation: the bearer requirement with the scopes it
/// needs, the groups (as <c>x-required-groups</c>), and the 401/403 answers. Derived from the same metadata the
/// authorization middleware combines, so the document cannot drift from what is enforced.
/// </summary>
internal sealed class AuthorizationOperationTransformer(string schemeName) : IOpenApiOperationTransformer
{
    // Bounds the document for endpoints that stack many any-of scope requirements.
    private const int MaxAlternatives = 32;

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return;
        }

        var policies = context.ApplicationServices.GetRequiredService<IAuthorizationPolicyProvider>();
        var policy = await AuthorizationPolicy.CombineAsync(policies, metadata.OfType<IAuthorizeData>(), metadata.OfType<AuthorizationPolicy>());
        var requirements = new List<IAuthorizationRequirement>(policy?.Requirements ?? []);
        foreach (var data in metadata.OfType<IAuthorizationRequirementData>())
        {
            requirements.AddRange(data.GetRequirements());
        }

        if (policy is null && requirements.Count == 0)
        {
            return;
        }

        // A requirement is satisfied by any one of its values; all requirements must hold. OpenAPI lists alternatives
        // as separate security objects whose scopes are all needed, so each combination of one scope per requirement
        // becomes one object.
        var scopeRequirements = requirements.OfType<ScopeRequirement>().ToList();
        var groupRequirements = requirements.OfType<GroupRequirement>().ToList();
        IEnumerable<List<string>> alternatives = [[]];
        foreach (var requirement in scopeRequirements)
        {
            alternatives = alternatives.SelectMany(a => requirement.AllowedScopes.Select(s => a.Contains(s, StringComparer.Ordinal) ? a : [.. a, s]));
        }

        operation.Security ??= [];
        foreach (var scopes in alternatives.Take(MaxAlternatives))
        {
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(schemeName, context.Document)] = scopes });
        }

        if (groupRequirements.Count > 0)
        {
            // Each inner list is one requirement: the caller needs at least one group of every list.
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions["x-required-groups"] = new JsonNodeExtension(
                new JsonArray([.. groupRequirements.Select(r => (JsonNode)new JsonArray([.. r.AllowedGroups.Select(g => (JsonNode)g)]))]));
        }

        operation.Responses ??= [];
        operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No token, or the token was rejected (see WWW-Authenticate)." });
        if (scopeRequirements.Count > 0 || groupRequirements.Count > 0)
        {
            operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The token lacks a required scope or group." });
        }
    }
}
