using System.Buffers.Binary;
using Microsoft.Extensions.Caching.Distributed;
using TokenVerifier.Validation;

namespace TokenVerifier.Revocation;

/// <summary>
/// Revocations in an <see cref="IDistributedCache"/> (Redis, SQL Server, ...) shared by every instance of the API. Each entry
/// is written with the lifetime of the longest token it can affect, so the cache expires it by itself. Answers are reused
/// locally for <see cref="RevocationStoreOptions.LocalCacheDuration"/>; such checks complete synchronously. A failing cache
/// surfaces as an exception from <see cref="IsRevokedAsync"/>, which the validator turns into its failure mode.
/// Sign-ins revoked with their user's <c>sub</c> are bounded per user as in the in-memory store, so one account signing in
/// and out in a loop cannot grow the shared cache (where a full cache would evict revocations or refuse every write).
/// </summary>
public sealed class DistributedCacheRevocationStore : IRevocationStore
{
    private const string TokenTag = "jti:";
    private const string SignInTag = "origin_jti:";
    private const string UserTag = "sub:";
    private const string SignInsOfUserTag = "signins-of-sub:";
    private const string ProbeKey = "health-probe";

    private readonly IDistributedCache _cache;
    private readonly RevocationStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly LocalRevocationCache _local;

    /// <summary>Creates a store over <paramref name="cache"/>.</summary>
    /// <param name="cache">The shared cache; every instance must use the same one (and the same <see cref="RevocationStoreOptions.KeyPrefix"/>).</param>
    /// <param name="options">Entry lifetimes, key prefix and the local cache. Default <see cref="RevocationStoreOptions"/>' defaults.</param>
    /// <param name="timeProvider">The clock for entry lifetimes and the local cache. Default the system clock.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public DistributedCacheRevocationStore(IDistributedCache cache, RevocationStoreOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = cache;
        _options = options ?? new RevocationStoreOptions();
        _options.ThrowIfInvalid();
        _time = timeProvider ?? TimeProvider.System;
        _local = new LocalRevocationCache(_options.LocalCacheDuration, _options.MaxEntries);
    }

    /// <summary>Answers held in the local cache (for tests).</summary>
    internal int LocalCount => _local.Count;

    /// <inheritdoc />
    public ValueTask RevokeTokenAsync(string issuer, string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        var key = RevocationKey.For(RevocationKind.Token, issuer, tokenId);
        var now = _time.GetUtcNow();
        return WriteAsync(key, RevocationRules.Present, RevocationRules.TokenEntryExpiry(_options, now, expiresAt), now, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask RevokeSignInAsync(string issuer, string originTokenId, CancellationToken cancellationToken = default)
    {
        var key = RevocationKey.For(RevocationKind.SignIn, issuer, originTokenId);
        var now = _time.GetUtcNow();
        return WriteAsync(key, RevocationRules.Present, RevocationRules.SignInEntryExpiry(_options, now), now, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The user's sign-in entries are listed in one more key beside them (read and written on each call, so a sign-out costs
    /// two or three round trips). Past <see cref="RevocationStoreOptions.MaxSignInEntriesPerUser"/> they are replaced by a
    /// user entry and removed. The cache offers no compare-and-set, so sign-outs of one user racing on different instances
    /// may each miss the other's entry in the list: that entry then simply lives out its lifetime.
    /// </remarks>
    public async ValueTask RevokeSignInAsync(string issuer, string originTokenId, string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        ArgumentException.ThrowIfNullOrEmpty(originTokenId);
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var now = _time.GetUtcNow();
        if (RevocationRules.SignInEntryExpiry(_options, now) is not { } expires)
        {
            return;
        }

        var pool = RevocationPool.Of(issuer);
        var listKey = KeyOf(SignInsOfUserTag, pool, subject);
        var held = SignInIndex.Decode(await _cache.GetAsync(listKey, cancellationToken), now.ToUnixTimeMilliseconds());
        var known = held.FindIndex(item => item.Id == originTokenId);
        if (known >= 0 || held.Count < _options.MaxSignInEntriesPerUser)
        {
            await WriteAsync(new RevocationKey(RevocationKind.SignIn, pool, originTokenId), RevocationRules.Present, expires, now, cancellationToken);
            if (known >= 0)
            {
                held.RemoveAt(known);
            }

            held.Add((originTokenId, expires));
            await _cache.SetAsync(listKey, SignInIndex.Encode(held), EntryOptions(expires, now), cancellationToken);
            return;
        }

        // The user entry goes in before the sign-in entries go out, so no token of theirs is accepted in between.
        await RevokeUserAsync(issuer, subject, now, cancellationToken);
        foreach (var (id, _) in held)
        {
            await _cache.RemoveAsync(KeyOf(new RevocationKey(RevocationKind.SignIn, pool, id)), cancellationToken);
        }

        await _cache.RemoveAsync(listKey, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Reads the current entry and writes the later of the two times. The cache offers no compare-and-set, so two user
    /// revocations of one user racing on different instances may keep the earlier time; revoke again to be sure.
    /// </remarks>
    public async ValueTask RevokeUserAsync(string issuer, string subject, DateTimeOffset issuedBefore, CancellationToken cancellationToken = default)
    {
        var key = RevocationKey.For(RevocationKind.User, issuer, subject);
        var now = _time.GetUtcNow();
        RevocationRules.ThrowIfTooFar(_options, now, issuedBefore);
        var existing = Decode(await _cache.GetAsync(KeyOf(key), cancellationToken));
        var value = issuedBefore.ToUnixTimeMilliseconds();
        if (existing > value && existing <= (now + _options.MaxTokenLifetime).ToUnixTimeMilliseconds())
        {
            value = existing;
        }

        var expiry = RevocationRules.UserEntryExpiry(_options, now, DateTimeOffset.FromUnixTimeMilliseconds(value));
        await WriteAsync(key, value, expiry, now, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> IsRevokedAsync(UserPoolToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentException.ThrowIfNullOrEmpty(token.Issuer, nameof(token));
        return _local.TryAnswer(RevocationPool.Of(token.Issuer), token, _time.GetUtcNow().ToUnixTimeMilliseconds(), out var revoked, out var lookup)
            ? new(revoked)
            : ReadThenDecideAsync(token, lookup, cancellationToken);
    }

    /// <summary>One read of the shared cache that no local answer can satisfy: what the health check asks.</summary>
    internal Task ProbeAsync(CancellationToken cancellationToken) => _cache.GetAsync(_options.KeyPrefix + ProbeKey, cancellationToken);

    private async ValueTask<bool> ReadThenDecideAsync(UserPoolToken token, RevocationLookup lookup, CancellationToken cancellationToken)
    {
        // The missing answers are read concurrently: one round trip's latency, not three.
        var tokenRead = Read(RevocationKind.Token, lookup.Pool, lookup.TokenId, cancellationToken);
        var signInRead = Read(RevocationKind.SignIn, lookup.Pool, lookup.OriginTokenId, cancellationToken);
        var userRead = Read(RevocationKind.User, lookup.Pool, lookup.Subject, cancellationToken);
        long tokenEntry, signInEntry, userEntry;
        try
        {
            tokenEntry = await Answer(RevocationKind.Token, lookup.Pool, lookup.TokenId, tokenRead, lookup.TokenEntry);
            signInEntry = await Answer(RevocationKind.SignIn, lookup.Pool, lookup.OriginTokenId, signInRead, lookup.SignInEntry);
            userEntry = await Answer(RevocationKind.User, lookup.Pool, lookup.Subject, userRead, lookup.UserEntry);
        }
        finally
        {
            // A read abandoned because another failed must not fault unobserved.
            Observe(tokenRead);
            Observe(signInRead);
            Observe(userRead);
        }

        return RevocationRules.Revokes(token, tokenEntry, signInEntry, userEntry);
    }

    private Task<byte[]?>? Read(RevocationKind kind, string pool, string? id, CancellationToken cancellationToken) =>
        id is null ? null : _cache.GetAsync(KeyOf(new RevocationKey(kind, pool, id)), cancellationToken);

    private async ValueTask<long> Answer(RevocationKind kind, string pool, string? id, Task<byte[]?>? read, long cached)
    {
        if (read is null)
        {
            return cached;
        }

        var value = Decode(await read);
        _local.Remember(new RevocationKey(kind, pool, id!), value, _time.GetUtcNow().ToUnixTimeMilliseconds());
        return value;
    }

    private async ValueTask WriteAsync(RevocationKey key, long value, long? expiresAtMs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (expiresAtMs is not { } expires)
        {
            return;
        }

        var bytes = new byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);

        await _cache.SetAsync(KeyOf(key), bytes, EntryOptions(expires, now), cancellationToken);

        // This instance sees its own revocation at once, not after the local cache window.
        _local.Remember(key, value, _time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    // Relative, so the entry expires on time whatever the cache server's clock says; rounded up to whole seconds
    // because caches such as Redis's truncate to seconds, which would drop the entry before its token expires.
    private static DistributedCacheEntryOptions EntryOptions(long expiresAtMs, DateTimeOffset now) => new()
    {
        AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(Math.Ceiling((expiresAtMs - now.ToUnixTimeMilliseconds()) / 1000.0)),
    };

    private string KeyOf(RevocationKey key) => KeyOf(
        key.Kind switch
        {
            RevocationKind.Token => TokenTag,
            RevocationKind.SignIn => SignInTag,
            _ => UserTag,
        },
        key.Pool,
        key.Id);

    // {prefix}{tag}{pool}:{id}: the pool is a fixed-length digest without ':', so no two (pool, id) pairs share a key.
    private string KeyOf(string tag, string pool, string id) => string.Concat(_options.KeyPrefix, tag, pool, ":", id);

    // An entry this store did not write is read as revoking everything: unreadable must not mean "not revoked".
    private static long Decode(byte[]? bytes) => bytes switch
    {
        null => RevocationRules.Absent,
        { Length: sizeof(long) } => BinaryPrimitives.ReadInt64LittleEndian(bytes),
        _ => long.MaxValue,
    };

    private static void Observe(Task? task)
    {
        if (task is { IsCompletedSuccessfully: false })
        {
            task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
