using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;
using TokenVerifier.Revocation;
using TokenVerifier.Validation;

namespace TokenVerifier.IntegrationTests.Redis.Native;

/// <summary>
/// Sign-ins revoked with their user on the Redis-native store: bounded per user and coalesced into one user entry that
/// refuses the same tokens, as the in-memory and IDistributedCache stores do, decided atomically in Redis.
/// </summary>
[Collection(SharedRedis.Name)]
public sealed class NativeSignInBoundTests(RedisFixture fixture) : IAsyncLifetime, IDisposable
{
    private const int PerUser = 5;
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
    public async Task One_user_signing_in_and_out_in_a_loop_on_three_instances_holds_a_bounded_number_of_keys()
    {
        var logger = new FakeLogger<RedisRevocationStore>();
        RedisRevocationStore[] instances = [await _stores.AddAsync(logger: logger), await _stores.AddAsync(logger: logger), await _stores.AddAsync(logger: logger)];
        var issuedAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        var signIns = new List<UserPoolToken>();
        for (var i = 0; i < 40; i++)
        {
            var token = await _tokens.ValidAsync("loop-user", issuedAt, originJti: $"loop-{i}");
            signIns.Add(token);
            await instances[i % 3].RevokeSignInAsync(token.Issuer, token.OriginTokenId!, token.Subject!);
        }

        // The user's sign-in keys, the list of them and the user key: never more however often they sign out.
        await using var redis = await RedisProbe.ConnectAsync(fixture.Server);
        var keys = redis.GetServers()[0].Keys(pattern: _stores.Prefix + "*").Select(k => (string)k!).ToList();
        Assert.InRange(keys.Count, 2, PerUser + 2);
        Assert.Contains($"{_stores.Prefix}sub:{{{Pool}:loop-user}}", keys);
        Assert.True(await redis.GetDatabase().SortedSetLengthAsync((RedisKey)$"{_stores.Prefix}signins-of-sub:{{{Pool}:loop-user}}") <= PerUser);
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Id.Id == 6005 && r.Message.StartsWith($"Coalesced {PerUser + 1} sign-in", StringComparison.Ordinal));

        var fresh = await _stores.AddAsync();
        foreach (var token in signIns)
        {
            Assert.True(await fresh.IsRevokedAsync(token), token.OriginTokenId);
        }

        // The next sign-in of the same user works: only tokens issued before the last coalescing are refused.
        var next = await _tokens.ValidAsync("loop-user", DateTimeOffset.UtcNow.AddSeconds(2), originJti: "next");
        Assert.False(await fresh.IsRevokedAsync(next));
    }

    [Fact]
    public async Task Below_the_bound_each_sign_in_is_its_own_entry_and_a_repeated_one_is_counted_once()
    {
        var store = await _stores.AddAsync();
        var issuedAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        var other = await _tokens.ValidAsync("bound-user", issuedAt, originJti: "not-revoked");
        for (var i = 0; i < 10; i++)
        {
            await store.RevokeSignInAsync(_tokens.Issuer, $"bound-{i % PerUser}", "bound-user");
        }

        await using var redis = await RedisProbe.ConnectAsync(fixture.Server);
        var db = redis.GetDatabase();
        var list = (RedisKey)$"{_stores.Prefix}signins-of-sub:{{{Pool}:bound-user}}";
        Assert.False(await db.KeyExistsAsync((RedisKey)$"{_stores.Prefix}sub:{{{Pool}:bound-user}}"));
        Assert.Equal(PerUser, await db.SortedSetLengthAsync(list));
        for (var i = 0; i < PerUser; i++)
        {
            Assert.Equal("1", (string?)await db.StringGetAsync((RedisKey)$"{_stores.Prefix}origin_jti:{{{Pool}:bound-{i}}}"));
        }

        // The list lives as long as its newest entry: a day plus the default five-minute skew.
        Assert.InRange((await db.KeyTimeToLiveAsync(list))!.Value, TimeSpan.FromDays(1), TimeSpan.FromDays(1) + TimeSpan.FromMinutes(5));
        Assert.False(await (await _stores.AddAsync()).IsRevokedAsync(other));
    }

    [Fact]
    public async Task Concurrent_sign_outs_of_one_user_from_three_instances_revoke_every_sign_in_and_keep_the_list_bounded()
    {
        RedisRevocationStore[] instances = [await _stores.AddAsync(), await _stores.AddAsync(), await _stores.AddAsync()];
        var issuedAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        var signIns = new List<UserPoolToken>();
        for (var i = 0; i < 60; i++)
        {
            signIns.Add(await _tokens.ValidAsync("racing-user", issuedAt, originJti: $"race-{i}"));
        }

        using var start = new ManualResetEventSlim();
        var revocations = signIns.Select((token, i) => Task.Run(async () =>
        {
            start.Wait();
            await instances[i % 3].RevokeSignInAsync(token.Issuer, token.OriginTokenId!, token.Subject!);
        })).ToArray();
        start.Set();
        await Task.WhenAll(revocations);

        await using var redis = await RedisProbe.ConnectAsync(fixture.Server);
        Assert.True(await redis.GetDatabase().SortedSetLengthAsync((RedisKey)$"{_stores.Prefix}signins-of-sub:{{{Pool}:racing-user}}") <= PerUser);
        var fresh = await _stores.AddAsync();
        foreach (var token in signIns)
        {
            Assert.True(await fresh.IsRevokedAsync(token), token.OriginTokenId);
        }
    }

    [Fact]
    public async Task With_no_sign_in_entries_allowed_every_sign_out_is_a_user_entry_that_keeps_a_later_time()
    {
        var store = await _stores.AddAsync(maxSignInEntriesPerUser: 0);
        var later = DateTimeOffset.UtcNow.AddMinutes(30);
        await store.RevokeUserAsync(_tokens.Issuer, "zero-user", later);
        var token = await _tokens.ValidAsync("zero-user", DateTimeOffset.UtcNow.AddMinutes(-1), originJti: "zero-origin");

        await store.RevokeSignInAsync(token.Issuer, token.OriginTokenId!, token.Subject!);

        await using var redis = await RedisProbe.ConnectAsync(fixture.Server);
        var db = redis.GetDatabase();
        Assert.False(await db.KeyExistsAsync((RedisKey)$"{_stores.Prefix}origin_jti:{{{Pool}:zero-origin}}"));
        Assert.Equal(later.ToUnixTimeMilliseconds(), (long)await db.StringGetAsync((RedisKey)$"{_stores.Prefix}sub:{{{Pool}:zero-user}}"));
        Assert.True(await (await _stores.AddAsync()).IsRevokedAsync(token));
    }
}
