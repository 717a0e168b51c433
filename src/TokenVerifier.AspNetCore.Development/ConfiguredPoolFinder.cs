using Microsoft.Extensions.Configuration;

namespace TokenVerifier.AspNetCore.Development;

/// <summary>
/// Finds a real pool anywhere in the configuration, so the embedded pool never stands in for one. Every section counts (any
/// scheme's, under any name), so this errs towards declining: a key named <c>UserPoolId</c>, <c>Issuer</c>, <c>JwksUri</c>, <c>Jwks</c> or <c>JwksFile</c>
/// with a value, or any value under a <c>Pools</c> section. Policies, token uses and client ids alone configure no pool.
/// </summary>
internal static class ConfiguredPoolFinder
{
    private static readonly string[] PoolKeys = ["UserPoolId", "Issuer", "JwksUri", "Jwks", "JwksFile"];

    /// <summary>The path of the first setting that configures a pool; null when there is none.</summary>
    public static string? Find(IConfiguration configuration)
    {
        foreach (var (path, value) in configuration.AsEnumerable())
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            var segments = path.Split(ConfigurationPath.KeyDelimiter);
            if (Array.Exists(PoolKeys, key => string.Equals(key, segments[^1], StringComparison.OrdinalIgnoreCase))
                || Array.Exists(segments[..^1], segment => string.Equals(segment, "Pools", StringComparison.OrdinalIgnoreCase)))
            {
                return path;
            }
        }

        return null;
    }
}
