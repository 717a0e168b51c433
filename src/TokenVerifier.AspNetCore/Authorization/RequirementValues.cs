using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using TokenVerifier.Claims;

namespace TokenVerifier.AspNetCore.Authorization;

// Scopes and groups share the any-of list shape: one place keeps their argument errors and
// their matching rules (ordinal, every identity) alike.
internal static class RequirementValues
{
    public static string[] Normalize(IEnumerable<string> values, string paramName, string noun, Func<string?, string?> check)
    {
        ArgumentNullException.ThrowIfNull(values, paramName);

        var result = new List<string>();
        var index = 0;
        foreach (var value in values)
        {
            if (check(value) is { } problem)
            {
                throw new ArgumentException($"The {noun} at index {index} {problem}.", paramName);
            }

            // Duplicates change nothing for an any-of check but would repeat in the challenge header.
            if (!result.Contains(value, StringComparer.Ordinal))
            {
                result.Add(value);
            }

            index++;
        }

        if (result.Count == 0)
        {
            throw new ArgumentException($"At least one {noun} is required; an empty list would deny everyone.", paramName);
        }

        return [.. result];
    }

    // The body of both requirements' HandleAsync. Never Fail(): another handler may still grant the requirement.
    public static Task SucceedIfAnyClaim(AuthorizationHandlerContext context, IAuthorizationRequirement requirement, string type, IReadOnlyList<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (HasAnyClaim(context.User, type, allowed))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    public static bool HasAnyClaim(ClaimsPrincipal user, string type, IReadOnlyList<string> allowed)
    {
        // ClaimsPrincipal.Claims spans every identity, so a value asserted by a second identity (e.g. a claims
        // transformation) counts, as a role does for IsInRole. Going through it would make our identity create every
        // claim of its token on each request, so each identity is asked in turn instead: the same answer, since the
        // base Claims is exactly each identity's claims in turn. A principal of another type may define Claims its own
        // way and is read through it.
        if (user.GetType() != typeof(ClaimsPrincipal))
        {
            return AnyOf(user.Claims, type, allowed);
        }

        // The runtime keeps the identities in a list: indexing it allocates no enumerator.
        if (user.Identities is IList<ClaimsIdentity> identities)
        {
            for (var i = 0; i < identities.Count; i++)
            {
                if (HasAnyClaim(identities[i], type, allowed))
                {
                    return true;
                }
            }

            return false;
        }

        foreach (var identity in user.Identities)
        {
            if (HasAnyClaim(identity, type, allowed))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasAnyClaim(ClaimsIdentity identity, string type, IReadOnlyList<string> allowed) =>
        identity is UserPoolClaimsIdentity ours ? ours.HasAnyClaimExactly(type, allowed) : AnyOf(identity.Claims, type, allowed);

    private static bool AnyOf(IEnumerable<Claim> claims, string type, IReadOnlyList<string> allowed)
    {
        foreach (var claim in claims)
        {
            if (!string.Equals(claim.Type, type, StringComparison.Ordinal))
            {
                continue;
            }

            for (var i = 0; i < allowed.Count; i++)
            {
                if (string.Equals(claim.Value, allowed[i], StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
