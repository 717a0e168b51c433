using TokenVerifier.Keys;

namespace TokenVerifier.Validation;

// The configured pools' key caches: taken from the registry by count when the validator is built, given back when it
// is disposed, and asked for the token's key (fetched when missing).
public sealed partial class UserPoolTokenValidator
{
    /// <summary>The key caches of the configured pools, for warm-up and health checks.</summary>
    public IReadOnlyList<SigningKeyCache> KeyCaches { get; }

    /// <summary>Age at which this validator's key sets count as stale (<see cref="UserPoolValidationOptions.KeyRefreshInterval"/>).</summary>
    internal TimeSpan KeyRefreshInterval { get; }

    // Each configured pool under each of its issuers, and the distinct caches (pools may share one key source).
    private (Dictionary<string, TrustedPool> PoolsByIssuer, List<SigningKeyCache> Caches) AcquireConfiguredPools(UserPoolValidationOptions options)
    {
        var pools = new Dictionary<string, TrustedPool>(StringComparer.Ordinal);
        var caches = new List<SigningKeyCache>();
        try
        {
            foreach (var pool in options.GetAllPools())
            {
                var cache = _keyCacheRegistry.Acquire(pool, options);
                _heldKeyCaches.Add(cache);
                if (!caches.Contains(cache))
                {
                    caches.Add(cache);
                }

                var trusted = new TrustedPool(pool, cache);
                foreach (var issuer in pool.GetIssuers())
                {
                    pools.Add(issuer, trusted);
                }
            }
        }
        catch
        {
            // A validator that is never built must not keep the caches it took so far in the registry.
            ReleaseKeyCaches();
            throw;
        }

        return (pools, caches);
    }

    private void ReleaseKeyCaches()
    {
        foreach (var cache in _heldKeyCaches)
        {
            _keyCacheRegistry.Release(cache);
        }

        _heldKeyCaches.Clear();
    }

    private async ValueTask<UserPoolValidationResult> ResolveKeyThenFinishAsync(ReadOnlyMemory<char> token, ParsedJwt jwt, TrustedPool pool, CancellationToken cancellationToken)
    {
        var (key, failure, refusedBecause) = await pool.Keys.ResolveAsync(jwt.KeyId!, cancellationToken);
        if (key is null)
        {
            return failure switch
            {
                TokenFailure.KeyNotFound => Reject(failure, "The token's signing key (kid) is not in the user pool's key set."),
                TokenFailure.InvalidKey => Reject(failure, $"The token's signing key was refused: {refusedBecause}."),
                _ => Reject(failure, "The user pool's signing keys are unavailable."),
            };
        }

        return await Finish(token, jwt, pool, key, signingInput: default, payload: default, members: default, cancellationToken);
    }
}
