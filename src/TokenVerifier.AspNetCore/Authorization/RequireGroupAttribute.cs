using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;

namespace TokenVerifier.AspNetCore.Authorization;

/// <summary>
/// Requires an authenticated user in at least one of the given groups (<c>cognito:groups</c>). Works on
/// controllers, actions and minimal API handlers without an accompanying <c>[Authorize]</c>; several
/// attributes must all be satisfied.
/// </summary>
/// <remarks>
/// The authorization middleware reads <see cref="IAuthorizationRequirementData"/> from endpoint metadata,
/// so this needs endpoint routing (the default); MVC's legacy non-endpoint routing ignores it.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class RequireGroupAttribute : Attribute, IAuthorizationRequirementData
{
    private readonly GroupRequirement _requirement;

    /// <summary>Creates the attribute.</summary>
    /// <param name="groups">The accepted groups; at least one.</param>
    /// <exception cref="ArgumentException"><paramref name="groups"/> is null or empty, or an entry is null, empty or whitespace.</exception>
    public RequireGroupAttribute(params string[] groups)
    {
        _requirement = new GroupRequirement(groups, nameof(groups));
    }

    /// <summary>The accepted groups.</summary>
    public IReadOnlyList<string> Groups => _requirement.AllowedGroups;

    /// <inheritdoc />
    // Without an [Authorize] beside it the middleware adds no default policy, so the attribute must
    // itself demand an authenticated user to keep "signed in" part of what it promises.
    public IEnumerable<IAuthorizationRequirement> GetRequirements() =>
        [new DenyAnonymousAuthorizationRequirement(), _requirement];
}
