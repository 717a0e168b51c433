using TokenVerifier.Keys;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>The names of the schemes added with <c>AddUserPool</c>, for warm-up, background refresh and health checks.</summary>
internal sealed class UserPoolSchemes
{
    private readonly List<string> _names = [];

    public IReadOnlyList<string> Names => _names;

    public void Add(string scheme)
    {
        lock (_names)
        {
            if (!_names.Contains(scheme))
            {
                _names.Add(scheme);
            }
        }
    }

    /// <summary>The distinct key caches of all user-pool schemes: schemes that trust the same pool share one cache.</summary>
    public List<SigningKeyCache> KeyCaches(UserPoolValidators validators)
    {
        var caches = new List<SigningKeyCache>();
        var seen = new HashSet<SigningKeyCache>(ReferenceEqualityComparer.Instance);
        foreach (var scheme in Names)
        {
            foreach (var cache in validators.Get(scheme).KeyCaches)
            {
                if (seen.Add(cache))
                {
                    caches.Add(cache);
                }
            }
        }

        return caches;
    }

    /// <summary>
    /// The distinct key caches of the pools the schemes' resolvers approved, those in <paramref name="configured"/> left out
    /// (a pool configured in one scheme and resolved in another is reported as configured). Expired approvals are let go of
    /// on the way. At most the sum of the schemes' <see cref="UserPoolValidationOptions.ResolvedPoolCacheSize"/>.
    /// </summary>
    public List<SigningKeyCache> ResolvedKeyCaches(UserPoolValidators validators, IReadOnlyCollection<SigningKeyCache> configured)
    {
        var caches = new List<SigningKeyCache>();
        var seen = new HashSet<SigningKeyCache>(configured, ReferenceEqualityComparer.Instance);
        foreach (var scheme in Names)
        {
            foreach (var cache in validators.Get(scheme).GetResolvedKeyCaches())
            {
                if (seen.Add(cache))
                {
                    caches.Add(cache);
                }
            }
        }

        return caches;
    }

    /// <summary>The shortest key refresh interval of the schemes that have keys to refresh, configured or resolved; null when none has.</summary>
    public TimeSpan? ShortestRefreshInterval(UserPoolValidators validators)
    {
        TimeSpan? shortest = null;
        foreach (var scheme in Names)
        {
            var validator = validators.Get(scheme);
            foreach (var interval in validator.KeyCaches.Select(c => c.RefreshInterval).Append(validator.HasPoolResolver ? validator.KeyRefreshInterval : TimeSpan.MaxValue))
            {
                if (interval != TimeSpan.MaxValue && (shortest is null || interval < shortest))
                {
                    shortest = interval;
                }
            }
        }

        return shortest;
    }
}
