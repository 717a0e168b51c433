using System.Globalization;

namespace TokenVerifier.Keys;

/// <summary>
/// The settings a key cache runs with. Schemes that share a JWKS address share one cache, so they must agree on all of
/// them: a cache cannot keep a key set stale for one scheme and not for another.
/// </summary>
internal sealed record KeyCacheSettings(
    TimeSpan MaxStaleness,
    TimeSpan JwksTimeout,
    int JwksMaxResponseBytes,
    TimeSpan KidMissRefreshInterval,
    TimeSpan KeyRefreshInterval,
    TimeSpan MaxKeyFetchWait)
{
    public static KeyCacheSettings From(UserPoolValidationOptions options) => new(
        options.MaxStaleness,
        options.JwksTimeout,
        options.JwksMaxResponseBytes,
        options.KidMissRefreshInterval,
        options.KeyRefreshInterval,
        options.MaxKeyFetchWait);

    /// <summary>One line per setting that differs, naming it and both values.</summary>
    public List<string> Differences(KeyCacheSettings other)
    {
        var differences = new List<string>();
        void Compare<T>(string name, T mine, T theirs)
        {
            if (!EqualityComparer<T>.Default.Equals(mine, theirs))
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture, $"{name} ({mine} and {theirs})"));
            }
        }

        Compare(nameof(MaxStaleness), MaxStaleness, other.MaxStaleness);
        Compare(nameof(JwksTimeout), JwksTimeout, other.JwksTimeout);
        Compare(nameof(JwksMaxResponseBytes), JwksMaxResponseBytes, other.JwksMaxResponseBytes);
        Compare(nameof(KidMissRefreshInterval), KidMissRefreshInterval, other.KidMissRefreshInterval);
        Compare(nameof(KeyRefreshInterval), KeyRefreshInterval, other.KeyRefreshInterval);
        Compare(nameof(MaxKeyFetchWait), MaxKeyFetchWait, other.MaxKeyFetchWait);
        return differences;
    }
}
