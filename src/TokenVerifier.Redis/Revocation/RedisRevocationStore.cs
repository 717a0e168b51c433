using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using TokenVerifier.Validation;

namespace TokenVerifier.Revocation;

/// <summary>
/// Revocations in Redis through StackExchange.Redis, shared by every instance of the API. Answers are reused locally for
/// <see cref="RevocationStoreOptions.LocalCacheDuration"/> so Redis stays off the hot path, and every revocation is
/// published on a channel on which each instance drops the affected local answers: a revocation takes effect everywhere
/// after one network hop, and within the local cache lifetime while the channel is lost. User revocations run as one Lua
/// script that keeps the later issued-before time; sign-ins revoked with their user are bounded per user by another. Every
/// command touches one slot, so the store works with a Redis Cluster; with <see cref="RedisRevocationOptions.MinReplicas"/> a revocation is acknowledged only once replicas hold it.
/// </summary>
public sealed partial class RedisRevocationStore : IRevocationStore, ISharedRevocationStore, IAsyncDisposable, IDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly IDatabase _db;
    private readonly Lazy<Task<IConnectionMultiplexer>> _writer;
    private readonly RedisRevocationKeys _keys;
    private readonly RevocationStoreOptions _options;
    private readonly RedisRevocationOptions _redisOptions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LocalRevocationCache _local;
    private readonly RedisRevocationMetrics _metrics;

    // Bumped by every invalidation: a read that started before one must not put its possibly older answer in the cache.
    private long _epoch;

    /// <summary>Creates a store over <paramref name="redis"/> and subscribes to its invalidation channel.</summary>
    /// <param name="redis">The connection; every instance must use the same Redis (and the same <see cref="RevocationStoreOptions.KeyPrefix"/>). Not disposed by the store.</param>
    /// <param name="redisOptions">Replica acknowledgement. Default <see cref="RedisRevocationOptions"/>' defaults.</param>
    /// <param name="options">Entry lifetimes, key prefix and the local cache. Default <see cref="RevocationStoreOptions"/>' defaults.</param>
    /// <param name="timeProvider">The clock for entry lifetimes and the local cache. Default the system clock.</param>
    /// <param name="logger">Where the channel's loss and return are logged.</param>
    /// <param name="meterFactory">Creates the meter of the store's instruments. Default a meter of its own.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public RedisRevocationStore(IConnectionMultiplexer redis, RedisRevocationOptions? redisOptions = null, RevocationStoreOptions? options = null, TimeProvider? timeProvider = null, ILogger<RedisRevocationStore>? logger = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        _options = options ?? new RevocationStoreOptions();
        _options.ThrowIfInvalid();
        _redisOptions = redisOptions ?? new RedisRevocationOptions();
        var errors = _redisOptions.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Redis revocation options: " + string.Join(" ", errors), nameof(redisOptions));
        }

        _redis = redis;
        _db = redis.GetDatabase();

        // WAIT blocks the connection it runs on until replicas confirm, so with MinReplicas the writes and their WAIT use
        // a connection of their own, and the reads on the hot path never queue behind a slow replica.
        _writer = new(() => _redisOptions.MinReplicas > 0
            ? ConnectWriterAsync(redis, _redisOptions.ReplicaTimeout)
            : Task.FromResult(redis));
        _keys = new RedisRevocationKeys(_options.KeyPrefix);
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _local = new LocalRevocationCache(_options.LocalCacheDuration, _options.MaxEntries);
        _metrics = new RedisRevocationMetrics(meterFactory, () => IsSubscribed ? 1 : 0);
        _subscriber = redis.GetSubscriber();
        _subscription = StartSubscription();
    }

    /// <summary>Answers held in the local cache (for tests).</summary>
    internal int LocalCount => _local.Count;

    /// <inheritdoc />
    public async ValueTask RevokeTokenAsync(string issuer, string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        var key = RevocationKey.For(RevocationKind.Token, issuer, tokenId);
        var now = _time.GetUtcNow();
        if (RevocationRules.TokenEntryExpiry(_options, now, expiresAt) is { } expires)
        {
            await SetPresentAsync(key, expires - now.ToUnixTimeMilliseconds());
        }
    }

    /// <inheritdoc />
    public async ValueTask RevokeSignInAsync(string issuer, string originTokenId, CancellationToken cancellationToken = default)
    {
        var key = RevocationKey.For(RevocationKind.SignIn, issuer, originTokenId);
        var now = _time.GetUtcNow();
        if (RevocationRules.SignInEntryExpiry(_options, now) is { } expires)
        {
            await SetPresentAsync(key, expires - now.ToUnixTimeMilliseconds());
        }
    }

    /// <inheritdoc />
    /// <remarks>Atomic in Redis: of concurrent revocations of one user, the latest time always stays.</remarks>
    public async ValueTask RevokeUserAsync(string issuer, string subject, DateTimeOffset issuedBefore, CancellationToken cancellationToken = default)
    {
        var key = RevocationKey.For(RevocationKind.User, issuer, subject);
        var now = _time.GetUtcNow();
        RevocationRules.ThrowIfTooFar(_options, now, issuedBefore);
        var lifetime = _options.MaxTokenLifetime + _options.ClockSkew;
        var writer = (await _writer.Value).GetDatabase();
        var kept = await writer.ScriptEvaluateAsync(
            RedisRevocationScripts.RevokeUser,
            [_keys.Key(key)],
            [
                issuedBefore.ToUnixTimeMilliseconds(),
                now.ToUnixTimeMilliseconds(),
                (now + _options.MaxTokenLifetime).ToUnixTimeMilliseconds(),
                (long)lifetime.TotalMilliseconds,
            ]);
        await AfterWriteAsync(key, (long)kept);
    }

    /// <inheritdoc />
    public ValueTask<bool> IsRevokedAsync(UserPoolToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentException.ThrowIfNullOrEmpty(token.Issuer, nameof(token));
        return _local.TryAnswer(RevocationPool.Of(token.Issuer), token, _time.GetUtcNow().ToUnixTimeMilliseconds(), out var revoked, out var lookup)
            ? new(revoked)
            : ReadThenDecideAsync(token, lookup);
    }

    Task ISharedRevocationStore.ProbeAsync(CancellationToken cancellationToken) => _db.StringGetAsync(_keys.Probe);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopSubscriptionAsync();
        _metrics.Dispose();
        if (_redisOptions.MinReplicas > 0 && _writer.IsValueCreated && _writer.Value.IsCompletedSuccessfully)
        {
            await _writer.Value.Result.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The server drops the subscription with the connection; stop listening without waiting for it.
        _redis.ConnectionFailed -= OnConnectionFailed;
        _redis.ConnectionRestored -= OnConnectionRestored;
        Volatile.Write(ref _subscribed, 0);
        _metrics.Dispose();
        if (_redisOptions.MinReplicas > 0 && _writer.IsValueCreated && _writer.Value.IsCompletedSuccessfully)
        {
            _writer.Value.Result.Dispose();
        }
    }

    private async ValueTask<bool> ReadThenDecideAsync(UserPoolToken token, RevocationLookup lookup)
    {
        var epoch = Volatile.Read(ref _epoch);

        // One GET per key, sent together: one round trip's latency, and each key may live on its own Cluster node.
        var tokenRead = Read(RevocationKind.Token, lookup.Pool, lookup.TokenId);
        var signInRead = Read(RevocationKind.SignIn, lookup.Pool, lookup.OriginTokenId);
        var userRead = Read(RevocationKind.User, lookup.Pool, lookup.Subject);
        long tokenEntry, signInEntry, userEntry;
        try
        {
            tokenEntry = await Answer(RevocationKind.Token, lookup.Pool, lookup.TokenId, tokenRead, lookup.TokenEntry, epoch);
            signInEntry = await Answer(RevocationKind.SignIn, lookup.Pool, lookup.OriginTokenId, signInRead, lookup.SignInEntry, epoch);
            userEntry = await Answer(RevocationKind.User, lookup.Pool, lookup.Subject, userRead, lookup.UserEntry, epoch);
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

    private Task<RedisValue>? Read(RevocationKind kind, string pool, string? id) =>
        id is null ? null : _db.StringGetAsync(_keys.Key(new RevocationKey(kind, pool, id)));

    private async ValueTask<long> Answer(RevocationKind kind, string pool, string? id, Task<RedisValue>? read, long cached, long epoch)
    {
        if (read is null)
        {
            return cached;
        }

        var value = Decode(await read);
        if (Volatile.Read(ref _epoch) == epoch)
        {
            var key = new RevocationKey(kind, pool, id!);
            _local.Remember(key, value, _time.GetUtcNow().ToUnixTimeMilliseconds());

            // An invalidation that arrived between the check and the write above: its Forget may have run first.
            if (Volatile.Read(ref _epoch) != epoch)
            {
                _local.Forget(key);
            }
        }

        return value;
    }

    private async ValueTask SetPresentAsync(RevocationKey key, long lifetimeMs)
    {
        var writer = (await _writer.Value).GetDatabase();
        await writer.StringSetAsync(_keys.Key(key), RevocationRules.Present, TimeSpan.FromMilliseconds(lifetimeMs));
        await AfterWriteAsync(key, RevocationRules.Present);
    }

    private async ValueTask AfterWriteAsync(RevocationKey key, long value)
    {
        // This instance sees its own revocation at once; the others when the message arrives.
        _local.Remember(key, value, _time.GetUtcNow().ToUnixTimeMilliseconds());
        await _subscriber.PublishAsync(_keys.Channel, RedisRevocationKeys.Message(key));
        if (_redisOptions.MinReplicas > 0)
        {
            await WaitForReplicasAsync(_keys.Key(key));
        }
    }

    private async Task WaitForReplicasAsync(RedisKey key)
    {
        // WAIT counts the writes sent earlier on the same connection, so it goes to the node that owns the key. It blocks
        // that connection while it waits; revocations are rare, and the wait is bounded by ReplicaTimeout.
        var writer = await _writer.Value;
        var endpoint = await writer.GetDatabase().IdentifyEndpointAsync(key) ?? throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "No Redis node owns the revocation's key.");
        var timeoutMs = (long)_redisOptions.ReplicaTimeout.TotalMilliseconds;
        var confirmed = (long)await writer.GetServer(endpoint).ExecuteAsync("WAIT", _redisOptions.MinReplicas, timeoutMs);
        if (confirmed < _redisOptions.MinReplicas)
        {
            RedisRevocationLog.ReplicasMissing(_logger, confirmed, _redisOptions.MinReplicas, timeoutMs);
            throw new RedisException(string.Create(
                CultureInfo.InvariantCulture,
                $"The revocation reached {confirmed} of the {_redisOptions.MinReplicas} replicas required within {timeoutMs} ms, so it could be lost with the primary; retry it."));
        }
    }

    private static async Task<IConnectionMultiplexer> ConnectWriterAsync(IConnectionMultiplexer redis, TimeSpan replicaTimeout)
    {
        var configuration = ConfigurationOptions.Parse(redis.Configuration);
        configuration.AbortOnConnectFail = false;
        configuration.ClientName = "tokenverifier-revocation-writer";

        // WAIT answers only after up to ReplicaTimeout: on the usual command timeout (5 s by default) a ReplicaTimeout that
        // long would end as the client's timeout instead of the refusal that says how many replicas confirmed.
        configuration.AsyncTimeout = (int)Math.Min((long)configuration.AsyncTimeout + (long)replicaTimeout.TotalMilliseconds, int.MaxValue);
        return await ConnectionMultiplexer.ConnectAsync(configuration);
    }

    // An entry this store did not write is read as revoking everything: unreadable must not mean "not revoked".
    private static long Decode(RedisValue value) =>
        value.IsNull ? RevocationRules.Absent
        : long.TryParse((string?)value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : long.MaxValue;

    private static void Observe(Task? task)
    {
        if (task is { IsCompletedSuccessfully: false })
        {
            task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
