using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

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
        // ClaimsPrincipal.Claims spans every identity, so a value asserted by a second identity
        // (e.g. a claims transformation) counts, as a role does for IsInRole.
        foreach (var claim in user.Claims)
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
