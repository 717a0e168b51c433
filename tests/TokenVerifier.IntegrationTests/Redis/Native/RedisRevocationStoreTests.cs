using System.Diagnostics;
using StackExchange.Redis;
using TokenVerifier.Revocation;

namespace TokenVerifier.IntegrationTests.Redis.Native;

/// <summary>
/// <see cref="RedisRevocationStore"/> against a real redis-server. Each store has its own connection, as each instance of
/// an API would, and a one-minute local cache: a revocation seen sooner than that on another store came through the channel.
/// </summary>
[Collection(SharedRedis.Name)]
public sealed class RedisRevocationStoreTests(RedisFixture fixture) : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(5);
    private readonly ValidatedTokens _tokens = new();
    private NativeStores _stores = null!;

    private string Pool => ValidatedTokens.PoolOf(_tokens.Issuer);

    public Task InitializeAsync()
    {
        _stores = new NativeStores(fixture.Server.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _stores.DisposeAsync();

    public void Dispose() => _tokens.Dispose();

    [Fact]
    public async Task A_revocation_on_one_instance_drops_the_cached_answer_on_the_others_at_once()
    {
        var a = await _stores.AddAsync();
        var b = await _stores.AddAsync();
        var c = await _stores.AddAsync();
        var byJti = await _tokens.ValidAsync("jti-user");
        var bySignIn = await _tokens.ValidAsync("sign-in-user");
        var byUser = await _tokens.ValidAsync("user-user", DateTimeOffset.UtcNow.AddMinutes(-1));
        foreach (var token in new[] { byJti, bySignIn, byUser })
        {
            // B and C now hold "not revoked" for a minute.
            Assert.False(await b.IsRevokedAsync(token));
            Assert.False(await c.IsRevokedAsync(token));
        }

        await a.RevokeTokenAsync(byJti.Issuer, byJti.TokenId!, byJti.ExpiresAt);
        await a.RevokeSignInAsync(bySignIn.Issuer, bySignIn.OriginTokenId!);
        await a.RevokeUserAsync(byUser.Issuer, byUser.Subject!, DateTimeOffset.UtcNow);

        foreach (var token in new[] { byJti, bySignIn, byUser })
        {
            Assert.True(await a.IsRevokedAsync(token));
            await UntilRevokedAsync(b, token);
            await UntilRevokedAsync(c, token);
        }
    }

    [Fact]
    public async Task Keys_hash_on_their_own_token_or_user_part_and_expire_with_the_tokens_they_affect()
    {
        var store = await _stores.AddAsync();
        var token = await _tokens.ValidAsync("tagged");
        await store.RevokeTokenAsync(token.Issuer, token.TokenId!, token.ExpiresAt);
        await store.RevokeSignInAsync(token.Issuer, token.OriginTokenId!);
        await store.RevokeUserAsync(token.Issuer, token.Subject!, DateTimeOffset.UtcNow);

        await using var redis = await RedisProbe.ConnectAsync(fixture.Server);
        var db = redis.GetDatabase();
        var jti = (RedisKey)$"{_stores.Prefix}jti:{{{Pool}:{token.TokenId}}}";
        var sub = (RedisKey)$"{_stores.Prefix}sub:{{{Pool}:{token.Subject}}}";
        Assert.Equal("1", (string?)await db.StringGetAsync(jti));
        Assert.Equal("1", (string?)await db.StringGetAsync((RedisKey)$"{_stores.Prefix}origin_jti:{{{Pool}:{token.OriginTokenId}}}"));
        Assert.True(long.Parse((string)(await db.StringGetAsync(sub))!, System.Globalization.CultureInfo.InvariantCulture) > 0);

        // The token entry lives until exp + the default five-minute skew; the user entry a day (+ skew) after its time.
        var jtiTtl = (await db.KeyTimeToLiveAsync(jti))!.Value;
        Assert.InRange(jtiTtl, token.ExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMinutes(4), token.ExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        Assert.InRange((await db.KeyTimeToLiveAsync(sub))!.Value, TimeSpan.FromDays(1), TimeSpan.FromDays(1) + TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task The_same_jti_origin_jti_and_sub_revoked_in_one_pool_are_not_revoked_in_another()
    {
        using var otherPool = new ValidatedTokens("us-east-1_NativeRd2");
        var a = await _stores.AddAsync();
        var b = await _stores.AddAsync();
        var issuedAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        var inA = await _tokens.ValidAsync("same-sub", issuedAt, jti: "same-jti", originJti: "same-origin");
        var inB = await otherPool.ValidAsync("same-sub", issuedAt, jti: "same-jti", originJti: "same-origin");
        Assert.Equal((inA.TokenId, inA.OriginTokenId, inA.Subject), (inB.TokenId, inB.OriginTokenId, inB.Subject));
        Assert.NotEqual(inA.Issuer, inB.Issuer);

        // B holds "not revoked" for pool B's token; pool A's revocations reach it through the channel.
        Assert.False(await b.IsRevokedAsync(inB));
        await a.RevokeTokenAsync(inA.Issuer, "same-jti", inA.ExpiresAt);
        await a.RevokeSignInAsync(inA.Issuer, "same-origin");
        await a.RevokeUserAsync(inA.Issuer, "same-sub", DateTimeOffset.UtcNow);
        await UntilRevokedAsync(b, inA);

        Assert.False(await b.IsRevokedAsync(inB));
        Assert.False(await a.IsRevokedAsync(inB));
        var fresh = await _stores.AddAsync();
        Assert.True(await fresh.IsRevokedAsync(inA));
        Assert.False(await fresh.IsRevokedAsync(inB));

        // Each pool's keys are its own: pool B has none.
        await using var redis = await RedisProbe.ConnectAsync(fixture.Server);
        var db = redis.GetDatabase();
        Assert.True(await db.KeyExistsAsync((RedisKey)$"{_stores.Prefix}jti:{{{Pool}:same-jti}}"));
        Assert.False(await db.KeyExistsAsync((RedisKey)$"{_stores.Prefix}jti:{{{ValidatedTokens.PoolOf(otherPool.Issuer)}:same-jti}}"));
    }

    [Fact]
    public async Task A_revocation_message_names_its_pool_so_another_pool_keeps_its_cached_answers()
    {
        using var otherPool = new ValidatedTokens("us-east-1_NativeRd2");
        var a = await _stores.AddAsync();
        var b = await _stores.AddAsync();
        var inB = await otherPool.ValidAsync("message-sub", jti: "message-jti");
        var signal = await _tokens.ValidAsync("message-signal", DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.False(await b.IsRevokedAsync(inB));
        Assert.False(await b.IsRevokedAsync(signal));

        // Messages arrive in the order they were published: once B refuses the signal token, it has had the jti's message.
        await a.RevokeTokenAsync(_tokens.Issuer, "message-jti", DateTimeOffset.UtcNow.AddHours(1));
        await a.RevokeUserAsync(signal.Issuer, "message-signal", DateTimeOffset.UtcNow);
        await UntilRevokedAsync(b, signal);

        // Pool A's message for "message-jti" dropped nothing of pool B: its answer is still served locally.
        var pending = b.IsRevokedAsync(inB);
        Assert.True(pending.IsCompletedSuccessfully, "Pool B's answer was dropped from the local cache.");
        Assert.False(await pending);
    }

    [Fact]
    public async Task A_user_revocation_with_an_earlier_time_does_not_shorten_a_later_one()
    {
        var a = await _stores.AddAsync();
        var b = await _stores.AddAsync();
        var now = DateTimeOffset.UtcNow;
        await a.RevokeUserAsync(_tokens.Issuer, "later-wins", now);
        await b.RevokeUserAsync(_tokens.Issuer, "later-wins", now.AddMinutes(-30));

        var between = await _tokens.ValidAsync("later-wins", now.AddMinutes(-10));
        var fresh = await _stores.AddAsync();
        Assert.True(await fresh.IsRevokedAsync(between));
    }

    [Fact]
    public async Task One_hundred_concurrent_user_revocations_from_three_instances_keep_the_latest_time()
    {
        RedisRevocationStore[] instances = [await _stores.AddAsync(), await _stores.AddAsync(), await _stores.AddAsync()];
        var latest = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await using var redis = await RedisProbe.ConnectAsync(fixture.Server);
        var key = (RedisKey)$"{_stores.Prefix}sub:{{{Pool}:racer}}";

        for (var round = 0; round < 5; round++)
        {
            await redis.GetDatabase().KeyDeleteAsync(key);

            // Times shuffled so the latest is sent at a different point in every round; all released at once.
            var times = Enumerable.Range(0, 100).Select(i => latest.AddSeconds(-i)).OrderBy(_ => Random.Shared.Next()).ToArray();
            using var start = new ManualResetEventSlim();
            var revocations = times.Select((time, i) => Task.Run(async () =>
            {
                start.Wait();
                await instances[i % instances.Length].RevokeUserAsync(_tokens.Issuer, "racer", time);
            })).ToArray();
            start.Set();
            await Task.WhenAll(revocations);

            Assert.Equal(latest.ToUnixTimeMilliseconds(), (long)await redis.GetDatabase().StringGetAsync(key));
        }
    }

    [Fact]
    public async Task A_revocation_is_refused_when_fewer_replicas_than_MinReplicas_confirm_it_and_acknowledged_when_they_do()
    {
        var options = new RedisRevocationOptions { MinReplicas = 1, ReplicaTimeout = TimeSpan.FromMilliseconds(200) };
        var alone = await _stores.AddAsync(redisOptions: options);
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RedisException>(async () => await alone.RevokeSignInAsync(_tokens.Issuer, "no-replica"));
        Assert.Equal("The revocation reached 0 of the 1 replicas required within 200 ms, so it could be lost with the primary; retry it.", error.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5));

        await using var primary = await RedisServer.StartAsync();
        await using var replica = await RedisServer.StartAsync("--replicaof", "127.0.0.1", primary.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await using var replicated = new NativeStores(primary.ConnectionString);
        var store = await replicated.AddAsync(redisOptions: options);
        await UntilReplicaOnlineAsync(primary);
        await store.RevokeSignInAsync(_tokens.Issuer, "with-replica");
        await using var onReplica = await RedisProbe.ConnectAsync(replica);
        Assert.Equal("1", (string?)await onReplica.GetDatabase().StringGetAsync((RedisKey)$"{replicated.Prefix}origin_jti:{{{Pool}:with-replica}}", CommandFlags.DemandReplica));
    }

    [Fact]
    public async Task A_replica_wait_longer_than_the_command_timeout_ends_in_the_replica_refusal_not_a_client_timeout()
    {
        // The connection's own commands time out after 300 ms; the replicas are given 1 s, so the writer allows for both.
        var options = new RedisRevocationOptions { MinReplicas = 1, ReplicaTimeout = TimeSpan.FromSeconds(1) };
        var alone = await _stores.AddAsync(redisOptions: options, configuration: fixture.Server.ConnectionString + ",asyncTimeout=300");
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RedisException>(async () => await alone.RevokeSignInAsync(_tokens.Issuer, "long-wait"));
        Assert.Equal("The revocation reached 0 of the 1 replicas required within 1000 ms, so it could be lost with the primary; retry it.", error.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(5));
    }

    private static async Task UntilRevokedAsync(RedisRevocationStore store, TokenVerifier.Validation.UserPoolToken token)
    {
        var clock = Stopwatch.StartNew();
        while (!await store.IsRevokedAsync(token))
        {
            Assert.True(clock.Elapsed < Propagation, "The revocation did not reach the other instance through the channel.");
            await Task.Delay(5);
        }
    }

    private static async Task UntilReplicaOnlineAsync(RedisServer primary)
    {
        await using var redis = await RedisProbe.ConnectAsync(primary);
        var clock = Stopwatch.StartNew();
        while (!(await redis.GetServers()[0].InfoAsync("replication")).SelectMany(g => g).Any(e => e.Key.StartsWith("slave0", StringComparison.Ordinal) && e.Value.Contains("state=online", StringComparison.Ordinal)))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "The replica did not come online.");
            await Task.Delay(50);
        }
    }
}
