using Microsoft.AspNetCore.Authorization;
using TokenVerifier.Claims;

namespace TokenVerifier.AspNetCore.Authorization;

/// <summary>
/// Requires the user to belong to at least one of <see cref="AllowedGroups"/>, read from the
/// <c>cognito:groups</c> claims of any of the principal's identities (compared ordinally).
/// </summary>
/// <remarks>
/// The requirement is its own handler, as ASP.NET Core's <c>DenyAnonymousAuthorizationRequirement</c> is: it works in any
/// policy without registering a handler, and costs nothing on endpoints whose policies do not use it.
/// </remarks>
public sealed class GroupRequirement : IAuthorizationRequirement, IAuthorizationHandler
{
    /// <summary>Creates a requirement satisfied by membership of any one of <paramref name="allowedGroups"/>.</summary>
    /// <param name="allowedGroups">The accepted groups; at least one, none null, empty or whitespace.</param>
    /// <exception cref="ArgumentNullException"><paramref name="allowedGroups"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The list is empty or an entry is null, empty or whitespace.</exception>
    public GroupRequirement(IEnumerable<string> allowedGroups)
        : this(allowedGroups, nameof(allowedGroups))
    {
    }

    internal GroupRequirement(IEnumerable<string> allowedGroups, string paramName)
    {
        AllowedGroups = RequirementValues.Normalize(allowedGroups, paramName, "group", Check);
    }

    /// <summary>The groups of which the user needs to belong to at least one.</summary>
    public IReadOnlyList<string> AllowedGroups { get; }

    /// <summary>Succeeds this requirement when the user holds one of its groups; never fails it, so another handler may still grant it.</summary>
    /// <param name="context">The authorization context.</param>
    public Task HandleAsync(AuthorizationHandlerContext context) =>
        RequirementValues.SucceedIfAnyClaim(context, this, UserPoolClaimTypes.Groups, AllowedGroups);

    /// <inheritdoc />
    public override string ToString() =>
        $"{nameof(GroupRequirement)}: the user needs to be in one of the groups ({string.Join('|', AllowedGroups)})";

    // Group names are otherwise left alone: emulators and other Cognito-compatible issuers are not
    // bound by Cognito's naming pattern.
    internal static string? Check(string? group) =>
        string.IsNullOrWhiteSpace(group) ? "is null, empty or whitespace" : null;
}
