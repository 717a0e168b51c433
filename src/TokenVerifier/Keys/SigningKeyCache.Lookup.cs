using TokenVerifier.Validation;

namespace TokenVerifier.Keys;

// Lookups: the lock-free read of the current set, and the slow path that fetches within the kid-miss limit and the
// request's wait budget and says why there is no key.
public sealed partial class SigningKeyCache
{
    internal bool TryGetKey(string keyId, out RsaSigningKey? key) => TryGetKey(keyId, _time.GetUtcNow(), out key);

    /// <summary>
    /// As <see cref="TryGetKey(string, out RsaSigningKey?)"/>, for a caller that has just read <paramref name="clock"/>
    /// (<paramref name="now"/>) for its own checks: when that is this cache's clock, one reading serves both (each costs
    /// about 40 ns here); otherwise the set's age is judged by this cache's own clock.
    /// </summary>
    internal bool TryGetKey(string keyId, TimeProvider clock, DateTimeOffset now, out RsaSigningKey? key) =>
        TryGetKey(keyId, ReferenceEquals(clock, _time) ? now : _time.GetUtcNow(), out key);

    private bool TryGetKey(string keyId, DateTimeOffset now, out RsaSigningKey? key)
    {
        var current = _current;
        if (current is null)
        {
            key = null;
            return false;
        }

        var age = now - current.FetchedAt;
        if (age > _refreshInterval)
        {
            RefreshInBackground();
            if (age > _maxStaleness)
            {
                key = null;
                return false;
            }
        }

        return current.Keys.TryGetValue(keyId, out key);
    }

    /// <summary>
    /// The key named <paramref name="keyId"/>, fetching the set if it is missing, unusable or lacks the kid (within the
    /// kid-miss limit), waiting at most <see cref="UserPoolValidationOptions.MaxKeyFetchWait"/>. Without a key, the failure
    /// says why: <see cref="TokenFailure.InvalidKey"/> (with the vetting's reason) for a published key that was refused,
    /// <see cref="TokenFailure.KeysUnavailable"/> when the keys could not be fetched, else <see cref="TokenFailure.KeyNotFound"/>.
    /// </summary>
    internal async ValueTask<(RsaSigningKey? Key, TokenFailure Failure, string? RefusedBecause)> ResolveAsync(string keyId, CancellationToken cancellationToken)
    {
        if (TryGetKey(keyId, out var key))
        {
            return (key, TokenFailure.None, null);
        }

        // A refused key is published: fetching again would bring the same refusal.
        if (_current is { } held && IsUsable(held) && held.Refused.TryGetValue(keyId, out var refused))
        {
            return (null, TokenFailure.InvalidKey, refused);
        }

        Task<SigningKeySet?>? refresh = null;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_refresh is { IsCompleted: false })
            {
                refresh = _refresh;
            }
            else if (IsUsable(_current))
            {
                // Forged kids must not hammer the endpoint, nor use up what a genuine rotation needs (see KidMissLimiter).
                if (_kidMisses.TryAcquire(now))
                {
                    KeyCacheLog.RefreshOnUnknownKid(_logger, JwksUri);
                    refresh = JoinOrStartRefresh();
                }
                else
                {
                    KeyCacheLog.RefreshRateLimited(_logger, JwksUri, KidMissLimiter.MaxPerWindow, _kidMissInterval);
                }
            }
            else if (_lastRecoveryRefresh is null || now - _lastRecoveryRefresh >= _kidMissInterval)
            {
                // A budget of its own, so that fetching a missing or expired set never uses up the kid-miss allowance.
                _lastRecoveryRefresh = now;
                KeyCacheLog.RefreshUnusableSet(_logger, JwksUri, _current is null ? KeySetState.Missing : KeySetState.Expired);
                refresh = JoinOrStartRefresh();
            }
        }

        var waited = true;
        if (refresh is not null)
        {
            try
            {
                await refresh.WaitAsync(_maxWait, _time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // A hung endpoint must not hang the request: it gets a 503 now, the fetch goes on for later requests.
                waited = false;
                KeyCacheLog.WaitExceeded(_logger, JwksUri, _maxWait);
            }
        }

        if (TryGetKey(keyId, out key))
        {
            return (key, TokenFailure.None, null);
        }

        var current = _current;
        if (current is null || !IsUsable(current))
        {
            return (null, TokenFailure.KeysUnavailable, null);
        }

        if (current.Refused.TryGetValue(keyId, out refused))
        {
            return (null, TokenFailure.InvalidKey, refused);
        }

        // The set we hold lacks the kid, and fetching a newer one failed or is still under way: the key may exist, so this
        // is our outage, not the token's fault.
        bool lastFetchFailed;
        lock (_gate)
        {
            lastFetchFailed = _lastFetchFailed;
        }

        return (null, !waited || lastFetchFailed ? TokenFailure.KeysUnavailable : TokenFailure.KeyNotFound, null);
    }

    private bool IsUsable(SigningKeySet? set) => set is not null && _time.GetUtcNow() - set.FetchedAt <= _maxStaleness;
}
