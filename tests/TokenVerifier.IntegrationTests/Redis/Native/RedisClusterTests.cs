using System.Diagnostics;
using StackExchange.Redis;
using TokenVerifier.IntegrationTests.Packaging;
using TokenVerifier.Revocation;

namespace TokenVerifier.IntegrationTests.Redis.Native;

/// <summary>
/// <see cref="RedisRevocationStore"/> against a local Redis Cluster of three masters (cluster-enabled redis-server
/// processes on loopback, joined by <c>redis-cli --cluster create</c>): every operation works across slots and nodes.
/// </summary>
[Collection(SharedRedis.Name)]
public sealed class RedisClusterTests : IAsyncLifetime, IDisposable
{
    private readonly ValidatedTokens _tokens = new();
    private readonly List<RedisServer> _nodes = [];
    private NativeStores _stores = null!;

    private string ConnectionString => string.Join(',', _nodes.Select(n => n.ConnectionString));

    public async Task InitializeAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            _nodes.Add(await RedisServer.StartAsync("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"));
        }

        string[] create = ["--cluster", "create", .. _nodes.Select(n => n.ConnectionString), "--cluster-replicas", "0", "--cluster-yes"];
        var (exitCode, output) = await ProcessRunner.RunAsync("redis-cli", Path.GetTempPath(), TimeSpan.FromSeconds(30), create);
        Assert.True(exitCode == 0, output);
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(ConnectionString))
        {
            var clock = Stopwatch.StartNew();
            while (!await AllNodesReadyAsync(redis))
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "The cluster did not reach cluster_state:ok.");
                await Task.Delay(100);
            }
        }

        _stores = new NativeStores(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_stores is not null)
        {
            await _stores.DisposeAsync();
        }

        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    public void Dispose() => _tokens.Dispose();

    [Fact]
    public async Task Every_operation_works_on_a_three_master_cluster_with_keys_spread_over_the_masters()
    {
        RedisRevocationStore[] instances = [await _stores.AddAsync(), await _stores.AddAsync(), await _stores.AddAsync()];
        var users = new List<Validation.UserPoolToken>();
        for (var i = 0; i < 12; i++)
        {
            var token = await _tokens.ValidAsync($"cluster-user-{i}", DateTimeOffset.UtcNow.AddMinutes(-1));
            users.Add(token);
            foreach (var instance in instances)
            {
                Assert.False(await instance.IsRevokedAsync(token));
            }
        }

        // Each kind of revocation, from different instances; the others drop their cached answers through the channel.
        for (var i = 0; i < users.Count; i++)
        {
            var token = users[i];
            var from = instances[i % 3];
            switch (i % 3)
            {
                case 0: await from.RevokeTokenAsync(token.Issuer, token.TokenId!, token.ExpiresAt); break;
                case 1: await from.RevokeSignInAsync(token.Issuer, token.OriginTokenId!); break;
                default: await from.RevokeUserAsync(token.Issuer, token.Subject!, DateTimeOffset.UtcNow); break;
            }
        }

        foreach (var token in users)
        {
            foreach (var instance in instances)
            {
                var clock = Stopwatch.StartNew();
                while (!await instance.IsRevokedAsync(token))
                {
                    Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "A revocation did not reach every instance on the cluster.");
                    await Task.Delay(5);
                }
            }
        }

        // Atomic user revocation on whichever master owns the key: concurrent times, the latest stays.
        var latest = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await Task.WhenAll(Enumerable.Range(0, 30).OrderBy(_ => Random.Shared.Next()).Select(i => Task.Run(async () => await instances[i % 3].RevokeUserAsync(_tokens.Issuer, "cluster-racer", latest.AddSeconds(-i)))));
        await using var redis = await ConnectionMultiplexer.ConnectAsync(ConnectionString);
        Assert.Equal(latest.ToUnixTimeMilliseconds(), (long)await redis.GetDatabase().StringGetAsync((RedisKey)$"{_stores.Prefix}sub:{{{ValidatedTokens.PoolOf(_tokens.Issuer)}:cluster-racer}}"));

        // Sign-ins revoked with their user: the list and the user key share a slot, the sign-in keys are spread, and the
        // coalescing script runs on one master all the same.
        var looping = new List<Validation.UserPoolToken>();
        for (var i = 0; i < 8; i++)
        {
            var token = await _tokens.ValidAsync("cluster-looper", DateTimeOffset.UtcNow.AddMinutes(-1), originJti: $"cluster-loop-{i}");
            looping.Add(token);
            await instances[i % 3].RevokeSignInAsync(token.Issuer, token.OriginTokenId!, token.Subject!);
        }

        foreach (var token in looping)
        {
            Assert.True(await instances[0].IsRevokedAsync(token), token.OriginTokenId);
        }

        // The keys live on more than one master: the store never needed them together.
        var keysPerNode = new List<long>();
        foreach (var node in _nodes)
        {
            keysPerNode.Add(await redis.GetServer("127.0.0.1", node.Port).DatabaseSizeAsync());
        }

        Assert.True(keysPerNode.Count(n => n > 0) >= 2, string.Join(",", keysPerNode));

        // WAIT goes to the master that owns the key; with no replicas there, the revocation is refused.
        var strict = await _stores.AddAsync(redisOptions: new RedisRevocationOptions { MinReplicas = 1, ReplicaTimeout = TimeSpan.FromMilliseconds(100) });
        await Assert.ThrowsAsync<RedisException>(async () => await strict.RevokeSignInAsync(_tokens.Issuer, "cluster-no-replica"));
    }

    private async Task<bool> AllNodesReadyAsync(ConnectionMultiplexer redis)
    {
        foreach (var node in _nodes)
        {
            var info = await redis.GetServer("127.0.0.1", node.Port).ExecuteAsync("CLUSTER", "INFO");
            if (!((string?)info ?? "").Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
