using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenVerifier.Keys;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>What <see cref="UserPoolValidators"/> needs to follow configuration reloads of the schemes bound from a section.</summary>
internal sealed class SchemeReloading(IEnumerable<SchemeReloadSource> sources, IOptionsFactory<UserPoolAuthenticationOptions> factory, RejectedReloads rejected, ILoggerFactory loggerFactory)
{
    private readonly SchemeReloadSource[] _sources = [.. sources];

    public IOptionsFactory<UserPoolAuthenticationOptions> Factory { get; } = factory;

    public RejectedReloads Rejected { get; } = rejected;

    public ILogger Logger { get; } = loggerFactory.CreateLogger<UserPoolValidators>();

    public IReadOnlyList<IConfiguration> SectionsOf(string scheme) =>
        [.. _sources.Where(s => string.Equals(s.Scheme, scheme, StringComparison.Ordinal)).Select(s => s.Section).Distinct()];

    /// <summary>Starts fetching the keys of pools a reload added, as the start-up warm-up does, without waiting for them.</summary>
    public static void WarmUp(UserPoolTokenValidator validator)
    {
        foreach (var cache in validator.KeyCaches)
        {
            if (cache.GetStatus().State == KeySetState.Missing)
            {
                // A failure is logged and recorded by the cache; the first token of the pool tries again.
                _ = cache.RefreshAsync(CancellationToken.None);
            }
        }
    }
}
