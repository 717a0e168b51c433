using System.Collections.Concurrent;
using TokenVerifier.Validation;

namespace TokenVerifier.Revocation;

/// <summary>
/// Revocations held in this process: for a single instance (several instances need a shared store such as
/// <see cref="DistributedCacheRevocationStore"/>). Bounded by <see cref="RevocationStoreOptions.MaxEntries"/>; each entry is
/// dropped once every token it can affect has expired. Checks complete synchronously and cost nothing while nothing is revoked.
/// </summary>
public sealed class InMemoryRevocationStore : IRevocationStore
{
    // Expired entries are read as absent at once; removing them is batched so reads stay lock-free.
    private static readonly long SweepIntervalMs = (long)TimeSpan.FromMinutes(1).TotalMilliseconds;

    private readonly ConcurrentDictionary<RevocationKey, Entry> _entries = new();
    private readonly RevocationStoreOptions _options;
    private readonly TimeProvider _time;
    private int _count;
    private long _nextSweepMs;

    /// <summary>Creates an empty store.</summary>
    /// <param name="options">Entry lifetimes and the bound. Default <see cref="RevocationStoreOptions"/>' defaults.</param>
    /// <param name="timeProvider">The clock for entry lifetimes. Default the system clock.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public InMemoryRevocationStore(RevocationStoreOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new RevocationStoreOptions();
        _options.ThrowIfInvalid();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Entries held, including expired ones not yet swept away (at most a minute after they expire).</summary>
    internal int Count => Volatile.Read(ref _count);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The store holds <see cref="RevocationStoreOptions.MaxEntries"/> live entries.</exception>
    public ValueTask RevokeTokenAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        var now = _time.GetUtcNow();
        Add(new RevocationKey(RevocationKind.Token, tokenId), RevocationRules.Present, RevocationRules.TokenEntryExpiry(_options, now, expiresAt), now);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The store holds <see cref="RevocationStoreOptions.MaxEntries"/> live entries.</exception>
    public ValueTask RevokeSignInAsync(string originTokenId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(originTokenId);
        var now = _time.GetUtcNow();
        Add(new RevocationKey(RevocationKind.SignIn, originTokenId), RevocationRules.Present, RevocationRules.SignInEntryExpiry(_options, now), now);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The store holds <see cref="RevocationStoreOptions.MaxEntries"/> live entries.</exception>
    public ValueTask RevokeUserAsync(string subject, DateTimeOffset issuedBefore, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var now = _time.GetUtcNow();
        RevocationRules.ThrowIfTooFar(_options, now, issuedBefore);
        Add(new RevocationKey(RevocationKind.User, subject), issuedBefore.ToUnixTimeMilliseconds(), RevocationRules.UserEntryExpiry(_options, now, issuedBefore), now);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> IsRevokedAsync(UserPoolToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (Volatile.Read(ref _count) == 0)
        {
            return new(false);
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        SweepIfDue(now);
        return new(RevocationRules.Revokes(
            token,
            Read(RevocationKind.Token, token.TokenId, now),
            Read(RevocationKind.SignIn, token.OriginTokenId, now),
            Read(RevocationKind.User, token.Subject, now)));
    }

    private long Read(RevocationKind kind, string? id, long now) =>
        id is not null && _entries.TryGetValue(new RevocationKey(kind, id), out var entry) && entry.ExpiresAtMs > now
            ? entry.Value
            : RevocationRules.Absent;

    private void Add(RevocationKey key, long value, long? expiresAtMs, DateTimeOffset now)
    {
        if (expiresAtMs is not { } expires)
        {
            return;
        }

        var nowMs = now.ToUnixTimeMilliseconds();
        SweepIfDue(nowMs);
        while (true)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                // A live entry is widened, never narrowed: the later "issued before" and the later expiry win.
                var merged = existing.ExpiresAtMs > nowMs
                    ? new Entry(Math.Max(existing.Value, value), Math.Max(existing.ExpiresAtMs, expires))
                    : new Entry(value, expires);
                if (merged == existing || _entries.TryUpdate(key, merged, existing))
                {
                    return;
                }

                continue;
            }

            if (Volatile.Read(ref _count) >= _options.MaxEntries)
            {
                Sweep(nowMs);
                if (Volatile.Read(ref _count) >= _options.MaxEntries)
                {
                    // Dropping a revocation would let a revoked token back in, so the caller must hear about it.
                    throw new InvalidOperationException($"The in-memory revocation store is full ({_options.MaxEntries} live entries); raise MaxEntries or use a distributed store.");
                }
            }

            if (_entries.TryAdd(key, new Entry(value, expires)))
            {
                Interlocked.Increment(ref _count);
                return;
            }
        }
    }

    private void SweepIfDue(long nowMs)
    {
        var due = Volatile.Read(ref _nextSweepMs);
        if (nowMs >= due && Interlocked.CompareExchange(ref _nextSweepMs, nowMs + SweepIntervalMs, due) == due)
        {
            Sweep(nowMs);
        }
    }

    private void Sweep(long nowMs)
    {
        foreach (var pair in _entries)
        {
            // Removes the pair only if it is unchanged, so an entry widened meanwhile survives.
            if (pair.Value.ExpiresAtMs <= nowMs && _entries.TryRemove(pair))
            {
                Interlocked.Decrement(ref _count);
            }
        }
    }

    private readonly record struct Entry(long Value, long ExpiresAtMs);
}
