using Microsoft.AspNetCore.Authorization;
using TokenVerifier.Claims;

namespace TokenVerifier.AspNetCore.Authorization;

/// <summary>
/// Requires the token to come from one of <see cref="AllowedPoolIds"/>: the <see cref="UserPoolClaimTypes.UserPool"/>
/// claim that TokenVerifier adds (issuer <see cref="UserPoolClaimTypes.TokenVerifierIssuer"/>), the pool the validator
/// matched the token's issuer to. A claim of that name inside the token keeps the token's issuer and does not count.
/// </summary>
/// <remarks>The requirement is its own handler, as <see cref="GroupRequirement"/> is.</remarks>
public sealed class UserPoolRequirement : IAuthorizationRequirement, IAuthorizationHandler
{
    /// <summary>Creates a requirement satisfied by a token of any one of <paramref name="allowedPoolIds"/>.</summary>
    /// <param name="allowedPoolIds">The accepted pool ids, such as <c>us-east-1_AbC123</c>; at least one, none null, empty or whitespace.</param>
    /// <exception cref="ArgumentNullException"><paramref name="allowedPoolIds"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The list is empty or an entry is null, empty or whitespace.</exception>
    public UserPoolRequirement(IEnumerable<string> allowedPoolIds)
        : this(allowedPoolIds, nameof(allowedPoolIds))
    {
    }

    internal UserPoolRequirement(IEnumerable<string> allowedPoolIds, string paramName)
    {
        AllowedPoolIds = RequirementValues.Normalize(allowedPoolIds, paramName, "pool id", GroupRequirement.Check);
    }

    /// <summary>The pools of which the token must come from one.</summary>
    public IReadOnlyList<string> AllowedPoolIds { get; }

    /// <summary>Succeeds this requirement when the token came from one of its pools; never fails it, so another handler may still grant it.</summary>
    /// <param name="context">The authorization context.</param>
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var claim in context.User.Claims)
        {
            // The issuer is what tells our claim from one the token carried under the same name.
            if (!string.Equals(claim.Type, UserPoolClaimTypes.UserPool, StringComparison.Ordinal)
                || !string.Equals(claim.Issuer, UserPoolClaimTypes.TokenVerifierIssuer, StringComparison.Ordinal)
                || !string.Equals(claim.OriginalIssuer, UserPoolClaimTypes.TokenVerifierIssuer, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var allowed in AllowedPoolIds)
            {
                if (string.Equals(claim.Value, allowed, StringComparison.Ordinal))
                {
                    context.Succeed(this);
                    return Task.CompletedTask;
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{nameof(UserPoolRequirement)}: the token needs to come from one of the user pools ({string.Join('|', AllowedPoolIds)})";
}
