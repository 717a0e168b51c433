using System.Diagnostics;
using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace TokenVerifier.IntegrationTests.Redis.Native;

/// <summary>
/// Primary + replica + three Sentinels, all real processes on loopback: the topology whose primary a failover test kills
/// (by its pid, <see cref="RedisServer.KillAsync"/>). Replicas added later are disposed with the group.
/// </summary>
internal sealed class RedisSentinelGroup : IAsyncDisposable
{
    // Redis 7 waits 5 s by default before a full sync, in case more replicas ask; here a replica is wanted in sync at once.
    private static readonly string[] SyncAtOnce = ["--repl-diskless-sync-delay", "0"];

    private readonly List<RedisSentinel> _sentinels = [];
    private readonly List<RedisServer> _servers = [];

    private RedisSentinelGroup()
    {
    }

    public RedisServer Primary => _servers[0];

    public RedisServer Replica => _servers[1];

    /// <summary>A StackExchange.Redis configuration string that finds the primary through the three Sentinels.</summary>
    public string ConnectionString => string.Join(',', _sentinels.Select(s => $"127.0.0.1:{s.Port}")) + $",serviceName={RedisSentinel.ServiceName}";

    /// <summary>Starts the primary, its replica and the Sentinels, and returns once the replica is in sync.</summary>
    public static async Task<RedisSentinelGroup> StartAsync()
    {
        var group = new RedisSentinelGroup();
        try
        {
            group._servers.Add(await RedisServer.StartAsync(SyncAtOnce));
            await group.AddReplicaAsync(group.Primary);
            for (var i = 0; i < 3; i++)
            {
                group._sentinels.Add(await RedisSentinel.StartAsync(group.Primary.Port));
            }

            await UntilAsync(() => ReplicaOnlineAsync(group.Primary), "The replica did not come online.");
            return group;
        }
        catch
        {
            await group.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more replica of <paramref name="of"/> (as an orchestrator replaces a lost node); disposed with the group.</summary>
    public async Task<RedisServer> AddReplicaAsync(RedisServer of)
    {
        var replica = await RedisServer.StartAsync([.. SyncAtOnce, "--replicaof", "127.0.0.1", of.Port.ToString(CultureInfo.InvariantCulture)]);
        _servers.Add(replica);
        return replica;
    }

    /// <summary>
    /// Restarts <paramref name="server"/>, a primary that was killed, as a replica of <paramref name="of"/>, as an orchestrator
    /// brings a failed node back. The Sentinels would convert it too, but only once it has reported itself a primary and not
    /// looked down for 8 s, seen by their INFO poll of replicas every 10 s: about 11 s here unloaded, past 60 s loaded.
    /// </summary>
    public static Task RestartAsReplicaAsync(RedisServer server, RedisServer of) =>
        server.RestartAsync("--replicaof", "127.0.0.1", of.Port.ToString(CultureInfo.InvariantCulture));

    /// <summary>Whether every Sentinel names the server on <paramref name="port"/> as the primary.</summary>
    public async Task<bool> SentinelsNameAsync(int port)
    {
        foreach (var sentinel in _sentinels)
        {
            var options = new ConfigurationOptions { CommandMap = CommandMap.Sentinel, AbortOnConnectFail = false };
            options.EndPoints.Add("127.0.0.1", sentinel.Port);
            await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
            EndPoint? primary;
            try
            {
                primary = await redis.GetServer("127.0.0.1", sentinel.Port).SentinelGetMasterAddressByNameAsync(RedisSentinel.ServiceName);
            }
            catch (RedisTimeoutException)
            {
                // A Sentinel busy with the failover, on a machine the load test keeps busy, once took more than 5 s to
                // answer: not an answer yet, so the caller asks again until its limit.
                return false;
            }

            if (primary is not IPEndPoint { Port: var named } || named != port)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="primary"/> has a replica in sync (<c>state=online</c>).</summary>
    public static async Task<bool> ReplicaOnlineAsync(RedisServer primary)
    {
        await using var redis = await RedisProbe.ConnectAsync(primary);
        return (await redis.GetServers()[0].InfoAsync("replication")).SelectMany(g => g).Any(e => e.Key.StartsWith("slave", StringComparison.Ordinal) && e.Value.Contains("state=online", StringComparison.Ordinal));
    }

    /// <summary><c>INFO replication</c> of <paramref name="server"/> on one line, for a failure message to say what was observed.</summary>
    public static async Task<string> ReplicationAsync(RedisServer server)
    {
        try
        {
            await using var redis = await RedisProbe.ConnectAsync(server);
            var info = await redis.GetServers()[0].InfoAsync("replication");
            return $"port {server.Port}: " + string.Join(", ", info.SelectMany(g => g).Select(e => $"{e.Key}={e.Value}"));
        }
        catch (RedisException ex)
        {
            // Only a description for a test that is failing already: what could not be read is said, not hidden.
            return $"port {server.Port}: INFO replication failed ({ex.Message})";
        }
    }

    /// <summary>
    /// Polls <paramref name="condition"/> every 100 ms; after <paramref name="limit"/> (default 15 s) fails the test with
    /// <paramref name="message"/>, how long it waited and, when given, what <paramref name="observed"/> reads then.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string message, TimeSpan? limit = null, Func<Task<string>>? observed = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > (limit ?? TimeSpan.FromSeconds(15)))
            {
                var waited = clock.Elapsed.TotalSeconds;
                var state = observed is null ? "" : "; observed: " + await observed();
                Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"{message} Waited {waited:F1} s{state}"));
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sentinel in _sentinels)
        {
            await sentinel.DisposeAsync();
        }

        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }
}
