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
        foreach (var scheme in Names)
        {
            foreach (var cache in validators.Get(scheme).KeyCaches)
            {
                if (!caches.Contains(cache))
                {
                    caches.Add(cache);
                }
            }
        }

        return caches;
    }
}
