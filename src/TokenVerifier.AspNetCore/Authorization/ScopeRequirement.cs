using Microsoft.AspNetCore.Authorization;

namespace TokenVerifier.AspNetCore.Authorization;

/// <summary>
/// Requires the user to hold at least one of <see cref="AllowedScopes"/> as a <c>scope</c> claim
/// (one claim per scope, compared ordinally).
/// </summary>
/// <remarks>Evaluated by <see cref="ScopeRequirementHandler"/>.</remarks>
public sealed class ScopeRequirement : IAuthorizationRequirement
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
