using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;

namespace TokenVerifier.AspNetCore.Authorization;

/// <summary>
/// Requires an authenticated user holding at least one of the given scopes. Works on controllers,
/// actions and minimal API handlers without an accompanying <c>[Authorize]</c>; several attributes
/// must all be satisfied.
/// </summary>
/// <remarks>
/// The authorization middleware reads <see cref="IAuthorizationRequirementData"/> from endpoint metadata,
/// so this needs endpoint routing (the default); MVC's legacy non-endpoint routing ignores it.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class RequireScopeAttribute : Attribute, IAuthorizationRequirementData
{
    private readonly ScopeRequirement _requirement;

    /// <summary>Creates the attribute.</summary>
    /// <param name="scopes">The accepted scopes, such as <c>orders/read</c>; at least one.</param>
    /// <exception cref="ArgumentException"><paramref name="scopes"/> is null or empty, or an entry is not a valid scope.</exception>
    public RequireScopeAttribute(params string[] scopes)
    {
        _requirement = new ScopeRequirement(scopes, nameof(scopes));
    }

    /// <summary>The accepted scopes.</summary>
    public IReadOnlyList<string> Scopes => _requirement.AllowedScopes;

    /// <inheritdoc />
    // Without an [Authorize] beside it the middleware adds no default policy, so the attribute must
    // itself demand an authenticated user to keep "signed in" part of what it promises.
    public IEnumerable<IAuthorizationRequirement> GetRequirements() =>
        [new DenyAnonymousAuthorizationRequirement(), _requirement];
}
