using System.Collections.Frozen;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using TokenVerifier.Revocation;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>
/// Reports keys of a <c>UserPool</c> section, its <c>Pools</c> entries and its <c>Revocation</c> section that bind to
/// nothing: the binder ignores them, so <c>"ClientId"</c> for <c>"ClientIds"</c> would otherwise leave a pool that
/// fails at start for another reason, or, worse, one that silently keeps a default. <c>Policies</c> reports its own.
/// </summary>
internal static class UserPoolSectionKeys
{
    // Read from the option types, so a setting added to them later is known here without a second list to keep.
    private static readonly FrozenSet<string> TopLevel = Names(
        typeof(UserPoolValidationOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance),
        nameof(UserPoolAuthenticationOptions.IncludeErrorDetails),
        nameof(UserPoolAuthenticationOptions.Realm),
        nameof(UserPoolAuthenticationOptions.QueryTokenPaths),
        nameof(UserPoolAuthenticationOptions.RefusedTokenDelay),
        nameof(UserPoolAuthenticationOptions.RefusedTokensBeforeDelay),
        "Policies");

    private static readonly FrozenSet<string> Pool = Names(typeof(UserPoolOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance));

    // MinReplicas and ReplicaTimeout are the Redis-native store's (TokenVerifier.Redis binds them from this section); this
    // package cannot see that type, and an app that does not use the store gets them ignored rather than refused.
    private static readonly FrozenSet<string> Revocation = Names(
        [.. typeof(RevocationOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance), .. typeof(RevocationStoreOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)],
        "Redis",
        "MinReplicas",
        "ReplicaTimeout");

    public static void Report(IConfigurationSection section, List<string> unknown)
    {
        ReportJwksObject(section, unknown);
        foreach (var child in section.GetChildren())
        {
            if (!TopLevel.Contains(child.Key))
            {
                unknown.Add($"'{child.Path}' is not a user pool setting; check its spelling (for example ClientIds, not ClientId).");
            }
            else if (string.Equals(child.Key, nameof(UserPoolValidationOptions.Pools), StringComparison.OrdinalIgnoreCase))
            {
                foreach (var pool in child.GetChildren())
                {
                    ReportChildren(pool, Pool, "a setting of a pool (UserPoolId, Region, ClientIds, AllowAnyClient, Issuer, JwksUri, Jwks, JwksFile)", unknown);
                    ReportJwksObject(pool, unknown);
                }
            }
            else if (string.Equals(child.Key, nameof(UserPoolValidationOptions.Revocation), StringComparison.OrdinalIgnoreCase))
            {
                ReportChildren(child, Revocation, "a revocation setting", unknown);
            }
        }
    }

    // Pasted into appsettings.json as an object, a key set binds to nothing and the pool would quietly fetch from Cognito.
    private static void ReportJwksObject(IConfigurationSection section, List<string> unknown)
    {
        var jwks = section.GetSection(nameof(UserPoolOptions.Jwks));
        if (jwks.GetChildren().Any())
        {
            unknown.Add($"'{jwks.Path}' must be the key set as one JSON string, not a JSON object; or put the set in a file and name it in JwksFile.");
        }
    }

    private static void ReportChildren(IConfigurationSection section, FrozenSet<string> known, string what, List<string> unknown)
    {
        foreach (var child in section.GetChildren())
        {
            if (!known.Contains(child.Key))
            {
                unknown.Add($"'{child.Path}' is not {what}; check its spelling.");
            }
        }
    }

    private static FrozenSet<string> Names(PropertyInfo[] properties, params string[] more) =>
        properties.Where(p => p.SetMethod is { IsPublic: true }).Select(p => p.Name).Concat(more).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
}
