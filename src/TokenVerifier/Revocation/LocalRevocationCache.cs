using System.Collections.Concurrent;
using TokenVerifier.Validation;

namespace TokenVerifier.Revocation;

/// <summary>
/// Answers read from a shared store, reused for a short while so the shared store is not asked on every request.
/// Answers are merged by taking the larger value (see <see cref="RevocationRules"/>), so a slow read that started before a
/// revocation can never replace the revocation with its older "absent".
/// </summary>
internal sealed class LocalRevocationCache
{
    private readonly ConcurrentDictionary<RevocationKey, Answer> _answers = new();
    private readonly long _durationMs;
    private readonly int _maxEntries;
    private int _count;

    public LocalRevocationCache(TimeSpan duration, int maxEntries)
    {
        _durationMs = (long)duration.TotalMilliseconds;
        _maxEntries = maxEntries;
    }

    public bool Enabled => _durationMs > 0;

    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Decides whether <paramref name="token"/> is revoked from local answers alone when they suffice: any revoking answer, or
    /// an answer for each of its <c>jti</c>, <c>origin_jti</c> and <c>sub</c> in <paramref name="pool"/> (the token's pool,
    /// <see cref="RevocationPool.Of"/>). Otherwise false, and <paramref name="lookup"/> names what the shared store must
    /// still be asked.
    /// </summary>
    public bool TryAnswer(string pool, UserPoolToken token, long nowMs, out bool revoked, out RevocationLookup lookup)
    {
        var tokenHit = TryGet(RevocationKind.Token, pool, token.TokenId, nowMs, out var tokenEntry);
        var signInHit = TryGet(RevocationKind.SignIn, pool, token.OriginTokenId, nowMs, out var signInEntry);
        var userHit = TryGet(RevocationKind.User, pool, token.Subject, nowMs, out var userEntry);
        lookup = default;
        if ((tokenHit && tokenEntry != RevocationRules.Absent) || (signInHit && signInEntry != RevocationRules.Absent))
        {
            revoked = true;
            return true;
        }

        if (tokenHit && signInHit && userHit)
        {
            revoked = RevocationRules.Revokes(token, tokenEntry, signInEntry, userEntry);
            return true;
        }

        revoked = false;
        lookup = new RevocationLookup(
            pool,
            tokenHit ? null : token.TokenId,
            signInHit ? null : token.OriginTokenId,
            userHit ? null : token.Subject,
            tokenEntry,
            signInEntry,
            userEntry);
        return false;
    }

    /// <summary>The cached value of <paramref name="id"/>; always a hit for a missing claim, which has nothing to revoke.</summary>
    private bool TryGet(RevocationKind kind, string pool, string? id, long nowMs, out long value)
    {
        if (id is null)
        {
            value = RevocationRules.Absent;
            return true;
        }

        if (_durationMs > 0 && _answers.TryGetValue(new RevocationKey(kind, pool, id), out var answer) && answer.UntilMs > nowMs)
        {
            value = answer.Value;
            return true;
        }

        value = 0;
        return false;
    }

    public void Remember(RevocationKey key, long value, long nowMs)
    {
        if (_durationMs <= 0)
        {
            return;
        }

        var fresh = new Answer(value, nowMs + _durationMs);
        if (_answers.TryAdd(key, fresh))
        {
            // Bounded the cheap way: the cache only saves round trips, so starting over loses nothing but a few of them.
            if (Interlocked.Increment(ref _count) > _maxEntries)
            {
                _answers.Clear();
                Volatile.Write(ref _count, 0);
            }

            return;
        }

        _answers.AddOrUpdate(
            key,
            static (_, arg) => arg.Fresh,
            static (_, old, arg) => old.UntilMs > arg.NowMs && old.Value > arg.Fresh.Value ? arg.Fresh with { Value = old.Value } : arg.Fresh,
            (Fresh: fresh, NowMs: nowMs));
    }

    /// <summary>Drops one answer, so the next check reads the shared store: how a store with invalidation messages applies one.</summary>
    public void Forget(RevocationKey key)
    {
        if (_answers.TryRemove(key, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Drops every answer: after invalidation messages may have been missed.</summary>
    public void Clear()
    {
        _answers.Clear();
        Volatile.Write(ref _count, 0);
    }

    private readonly record struct Answer(long Value, long UntilMs);
}
