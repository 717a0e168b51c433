using System.Collections.Concurrent;

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

    /// <summary>The cached value of <paramref name="id"/>; always a hit for a missing claim, which has nothing to revoke.</summary>
    public bool TryGet(RevocationKind kind, string? id, long nowMs, out long value)
    {
        if (id is null)
        {
            value = RevocationRules.Absent;
            return true;
        }

        if (_durationMs > 0 && _answers.TryGetValue(new RevocationKey(kind, id), out var answer) && answer.UntilMs > nowMs)
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
