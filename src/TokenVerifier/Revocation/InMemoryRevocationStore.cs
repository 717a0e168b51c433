using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TokenVerifier.Diagnostics;
using TokenVerifier.Validation;

namespace TokenVerifier.Revocation;

/// <summary>
/// Revocations held in this process: for a single instance (several instances need a shared store such as
/// <see cref="DistributedCacheRevocationStore"/>). Bounded by <see cref="RevocationStoreOptions.MaxEntries"/>; each entry is
/// dropped once every token it can affect has expired. Checks complete synchronously and cost nothing while nothing is revoked.
/// Sign-ins revoked with their user's <c>sub</c> are bounded per user (<see cref="RevocationStoreOptions.MaxSignInEntriesPerUser"/>),
/// so one account signing in and out in a loop cannot fill the store; a warning is logged when the store is 80 % full.
/// </summary>
public sealed class InMemoryRevocationStore : IRevocationStore
{
    // Expired entries are read as absent at once; removing them is batched so reads stay lock-free.
    private static readonly long SweepIntervalMs = (long)TimeSpan.FromMinutes(1).TotalMilliseconds;

    private readonly ConcurrentDictionary<RevocationKey, Entry> _entries = new();
    private readonly RevocationStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TokenVerifierMetrics? _metrics;
    private readonly SignInsByUser _signIns = new();
    private readonly int _warningCount;
    private int _count;
    private int _warned;
    private long _nextSweepMs;

    /// <summary>Creates an empty store.</summary>
    /// <param name="options">Entry lifetimes and the bound. Default <see cref="RevocationStoreOptions"/>' defaults.</param>
    /// <param name="timeProvider">The clock for entry lifetimes. Default the system clock.</param>
    /// <param name="logger">Receives the warning at 80 % of <see cref="RevocationStoreOptions.MaxEntries"/>. Default none.</param>
    /// <param name="metrics">Counts the same warning (<c>tokenverifier.revocation.store.near_capacity</c>). Default none.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public InMemoryRevocationStore(RevocationStoreOptions? options = null, TimeProvider? timeProvider = null, ILogger? logger = null, TokenVerifierMetrics? metrics = null)
    {
        _options = options ?? new RevocationStoreOptions();
        _options.ThrowIfInvalid();
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _metrics = metrics;
        _warningCount = (int)Math.Ceiling(_options.MaxEntries * NearCapacity);
    }

    /// <summary>The share of <see cref="RevocationStoreOptions.MaxEntries"/> at which the store warns that it is filling up.</summary>
    internal const double NearCapacity = 0.8;

    /// <summary>Entries held, including expired ones not yet swept away (at most a minute after they expire).</summary>
    internal int Count => Volatile.Read(ref _count);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The store holds <see cref="RevocationStoreOptions.MaxEntries"/> live entries.</exception>
    public ValueTask RevokeTokenAsync(string issuer, string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        var key = RevocationKey.For(RevocationKind.Token, issuer, tokenId);
        var now = _time.GetUtcNow();
        Add(key, RevocationRules.Present, RevocationRules.TokenEntryExpiry(_options, now, expiresAt), now);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The store holds <see cref="RevocationStoreOptions.MaxEntries"/> live entries.</exception>
    public ValueTask RevokeSignInAsync(string issuer, string originTokenId, CancellationToken cancellationToken = default)
    {
        var key = RevocationKey.For(RevocationKind.SignIn, issuer, originTokenId);
        var now = _time.GetUtcNow();
        Add(key, RevocationRules.Present, RevocationRules.SignInEntryExpiry(_options, now), now);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>
    /// When <paramref name="subject"/> already holds <see cref="RevocationStoreOptions.MaxSignInEntriesPerUser"/> live sign-in
    /// entries, they and this one are replaced by one user entry (<paramref name="subject"/>, issued before now). That entry is
    /// written even when the store is full, since it frees more than it takes.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The store holds <see cref="RevocationStoreOptions.MaxEntries"/> live entries.</exception>
    public ValueTask RevokeSignInAsync(string issuer, string originTokenId, string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        ArgumentException.ThrowIfNullOrEmpty(originTokenId);
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var now = _time.GetUtcNow();
        if (RevocationRules.SignInEntryExpiry(_options, now) is not { } expires)
        {
            return ValueTask.CompletedTask;
        }

        var nowMs = now.ToUnixTimeMilliseconds();
        var pool = RevocationPool.Of(issuer);
        var key = new RevocationKey(RevocationKind.SignIn, pool, originTokenId);

        // Sign-outs are rare next to checks: one lock keeps a user's list and the entries it names consistent.
        lock (_signIns)
        {
            var held = _signIns.Live(pool, subject, id => Read(RevocationKind.SignIn, pool, id, nowMs) != RevocationRules.Absent);
            // A full store also coalesces a user's entries: their sign-out then frees room instead of being refused.
            var coalesce = !held.Contains(originTokenId)
                && (held.Count >= _options.MaxSignInEntriesPerUser || (held.Count > 0 && Volatile.Read(ref _count) >= _options.MaxEntries));
            if (!coalesce)
            {
                Add(key, RevocationRules.Present, expires, now);
                _signIns.Remember(pool, subject, originTokenId);
                return ValueTask.CompletedTask;
            }

            // The user entry goes in before the sign-in entries go out, so no token of theirs is accepted in between.
            Add(new RevocationKey(RevocationKind.User, pool, subject), nowMs, RevocationRules.UserEntryExpiry(_options, now, now), now, whenFull: true);
            foreach (var id in held)
            {
                if (_entries.TryRemove(new RevocationKey(RevocationKind.SignIn, pool, id), out _))
                {
                    Interlocked.Decrement(ref _count);
                }
            }

            _signIns.Forget(pool, subject);
            RevocationLog.SignInsCoalesced(_logger, held.Count + 1);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The store holds <see cref="RevocationStoreOptions.MaxEntries"/> live entries.</exception>
    public ValueTask RevokeUserAsync(string issuer, string subject, DateTimeOffset issuedBefore, CancellationToken cancellationToken = default)
    {
        var key = RevocationKey.For(RevocationKind.User, issuer, subject);
        var now = _time.GetUtcNow();
        RevocationRules.ThrowIfTooFar(_options, now, issuedBefore);
        Add(key, issuedBefore.ToUnixTimeMilliseconds(), RevocationRules.UserEntryExpiry(_options, now, issuedBefore), now);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> IsRevokedAsync(UserPoolToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentException.ThrowIfNullOrEmpty(token.Issuer, nameof(token));
        if (Volatile.Read(ref _count) == 0)
        {
            return new(false);
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        SweepIfDue(now);
        var pool = RevocationPool.Of(token.Issuer);
        return new(RevocationRules.Revokes(
            token,
            Read(RevocationKind.Token, pool, token.TokenId, now),
            Read(RevocationKind.SignIn, pool, token.OriginTokenId, now),
            Read(RevocationKind.User, pool, token.Subject, now)));
    }

    private long Read(RevocationKind kind, string pool, string? id, long now) =>
        id is not null && _entries.TryGetValue(new RevocationKey(kind, pool, id), out var entry) && entry.ExpiresAtMs > now
            ? entry.Value
            : RevocationRules.Absent;

    private void Add(RevocationKey key, long value, long? expiresAtMs, DateTimeOffset now, bool whenFull = false)
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

            if (!whenFull && Volatile.Read(ref _count) >= _options.MaxEntries)
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
                if (Interlocked.Increment(ref _count) >= _warningCount && Interlocked.Exchange(ref _warned, 1) == 0)
                {
                    RevocationLog.NearCapacity(_logger, Volatile.Read(ref _count), _options.MaxEntries);
                    _metrics?.RecordRevocationStoreNearCapacity();
                }

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

        lock (_signIns)
        {
            _signIns.Prune((pool, id) => _entries.ContainsKey(new RevocationKey(RevocationKind.SignIn, pool, id)));
        }

        // Warns again the next time the store fills up after it has drained below the mark.
        if (Volatile.Read(ref _count) < _warningCount)
        {
            Volatile.Write(ref _warned, 0);
        }
    }

    private readonly record struct Entry(long Value, long ExpiresAtMs);
}
