using Microsoft.AspNetCore.Authorization;
using TokenVerifier.Claims;

namespace TokenVerifier.AspNetCore.Authorization;

/// <summary>
/// Requires the user to hold at least one of <see cref="AllowedScopes"/> as a <c>scope</c> claim
/// (one claim per scope, compared ordinally).
/// </summary>
/// <remarks>
/// The requirement is its own handler, as ASP.NET Core's <c>DenyAnonymousAuthorizationRequirement</c> is: it works in any
/// policy without registering a handler, and costs nothing on endpoints whose policies do not use it.
/// </remarks>
public sealed class ScopeRequirement : IAuthorizationRequirement, IAuthorizationHandler
{
    /// <summary>Creates a requirement satisfied by any one of <paramref name="allowedScopes"/>.</summary>
    /// <param name="allowedScopes">The accepted scopes; at least one, each an RFC 6749 scope token.</param>
    /// <exception cref="ArgumentNullException"><paramref name="allowedScopes"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The list is empty or an entry is not a valid scope token.</exception>
    public ScopeRequirement(IEnumerable<string> allowedScopes)
        : this(allowedScopes, nameof(allowedScopes))
    {
    }

    internal ScopeRequirement(IEnumerable<string> allowedScopes, string paramName)
    {
        AllowedScopes = RequirementValues.Normalize(allowedScopes, paramName, "scope", Check);
    }

    /// <summary>The scopes of which the user needs at least one; also the <c>scope</c> of an <c>insufficient_scope</c> response.</summary>
    public IReadOnlyList<string> AllowedScopes { get; }

    /// <summary>Succeeds this requirement when the user holds one of its scopes; never fails it, so another handler may still grant it.</summary>
    /// <param name="context">The authorization context.</param>
    public Task HandleAsync(AuthorizationHandlerContext context) =>
        RequirementValues.SucceedIfAnyClaim(context, this, UserPoolClaimTypes.Scope, AllowedScopes);

    /// <inheritdoc />
    public override string ToString() =>
        $"{nameof(ScopeRequirement)}: the user needs one of the scopes ({string.Join('|', AllowedScopes)})";

    // The RFC 6749 scope-token grammar is also Cognito's resource-server pattern; enforcing it keeps the
    // quoted scope attribute of the WWW-Authenticate header well-formed and turns "a b" (two scopes in
    // one argument, which can never match a claim) into an error instead of a policy nobody passes.
    internal static string? Check(string? scope)
    {
        if (string.IsNullOrWhiteSpace(scope))
        {
            return "is null, empty or whitespace";
        }

        foreach (var c in scope)
        {
            if (c < '\x21' || c > '\x7E' || c == '"' || c == '\\')
            {
                return $"'{scope}' contains a character not allowed in a scope (space, '\"', '\\', control or non-ASCII); pass each scope as a separate entry";
            }
        }

        return null;
    }
}
