using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;
using TokenVerifier.Revocation;
using Xunit.Abstractions;

namespace TokenVerifier.IntegrationTests.Redis.Native;

/// <summary>
/// Primary + replica + three Sentinels, all real processes on loopback, and stores with <c>MinReplicas = 1</c>: the primary
/// is killed after revocations were acknowledged; none is lost, and the stores recover without restart.
/// </summary>
[Collection(RedisFailover.Name)]
public sealed class RedisSentinelFailoverTests(ITestOutputHelper output) : IDisposable
{
    private const int Acknowledged = 50;
    private readonly ValidatedTokens _tokens = new();

    public void Dispose() => _tokens.Dispose();

    [Fact]
    public async Task No_acknowledged_revocation_is_lost_when_the_primary_dies_and_the_stores_recover_without_restart()
    {
        await using var group = await RedisSentinelGroup.StartAsync();
        var (primary, replica) = (group.Primary, group.Replica);
        await using var stores = new NativeStores(group.ConnectionString);
        // Every acknowledgement must arrive: a replica in sync answers in milliseconds, but the suite runs its assemblies side
        // by side on two cores, and one WAIT of 500 ms once timed out under that load before the primary was killed.
        var options = new RedisRevocationOptions { MinReplicas = 1, ReplicaTimeout = TimeSpan.FromSeconds(5) };
        var a = await stores.AddAsync(redisOptions: options);
        var b = await stores.AddAsync(redisOptions: options);

        var tokens = new List<Validation.UserPoolToken>();
        for (var i = 0; i < Acknowledged; i++)
        {
            var token = await _tokens.ValidAsync($"failover-{i}");
            Assert.False(await b.IsRevokedAsync(token));
            await a.RevokeSignInAsync(token.Issuer, token.OriginTokenId!);
            tokens.Add(token);
        }

        await primary.KillAsync();
        var clock = Stopwatch.StartNew();

        // Until a Sentinel has promoted the replica, reads fail (the validator's failure mode applies) or answer from the local cache.
        await UntilAsync(async () => await group.SentinelsNameAsync(replica.Port), "The Sentinels did not promote the replica.", TimeSpan.FromSeconds(30));
        var promoted = clock.Elapsed;
        var unseen = await _tokens.ValidAsync("never-cached");
        await UntilAsync(async () => await AnswersAsync(b, unseen), "The store did not answer after the failover.", TimeSpan.FromSeconds(30));
        var readsBack = clock.Elapsed;

        // Every acknowledged revocation is on the promoted replica: a store that has never seen them reads them there.
        var fresh = await stores.AddAsync();
        foreach (var token in tokens)
        {
            Assert.True(await fresh.IsRevokedAsync(token));
            Assert.True(await b.IsRevokedAsync(token));
        }

        // The new primary has no replica yet, so MinReplicas refuses revocations (503) until the old primary is back as one.
        var refused = await Assert.ThrowsAnyAsync<RedisException>(async () => await a.RevokeSignInAsync(_tokens.Issuer, "while-alone"));
        output.WriteLine(refused.Message);
        // The old primary comes back as a replica of the new one, as an orchestrator restarts it, rather than waiting for the
        // Sentinels to convert it (11 s unloaded, past 60 s under load: see RestartAsReplicaAsync). What is tested is the
        // stores' side: once the new primary has its replica again, revocations are acknowledged without a restart.
        var restarted = clock.Elapsed;
        await RedisSentinelGroup.RestartAsReplicaAsync(primary, of: replica);
        await RedisSentinelGroup.UntilAsync(() => RedisSentinelGroup.ReplicaOnlineAsync(replica), "The old primary did not come online as a replica of the new one.", TimeSpan.FromSeconds(30), () => RedisSentinelGroup.ReplicationAsync(replica));
        var replicaBack = clock.Elapsed;
        var extra = await _tokens.ValidAsync("after-failover");
        // The replica is in sync, so the first WAIT should be confirmed; the poll only rides out a busy machine (each
        // attempt waits up to ReplicaTimeout, 5 s), and says what the new primary reported if it runs out.
        await RedisSentinelGroup.UntilAsync(async () => await RevokesAsync(a, extra.Issuer, extra.OriginTokenId!), "Revocations were not acknowledged again after the old primary returned as a replica.", TimeSpan.FromSeconds(30), () => RedisSentinelGroup.ReplicationAsync(replica));
        var writesBack = clock.Elapsed;
        await UntilAsync(async () => await AnswersAsync(b, extra) && await b.IsRevokedAsync(extra), "The other store did not see the new revocation.");

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Acknowledged} acknowledged revocations, 0 lost; replica promoted {promoted.TotalSeconds:F1} s and lookups answered again {readsBack.TotalSeconds:F1} s after the primary was killed; old primary restarted as a replica {restarted.TotalSeconds:F1} s after and in sync {replicaBack.TotalSeconds:F1} s after, revocations acknowledged again {writesBack.TotalSeconds:F1} s after"));
    }

    private static Task UntilAsync(Func<Task<bool>> condition, string message, TimeSpan? limit = null) => RedisSentinelGroup.UntilAsync(condition, message, limit);

    private static async Task<bool> AnswersAsync(RedisRevocationStore store, Validation.UserPoolToken token)
    {
        try
        {
            await store.IsRevokedAsync(token);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return false;
        }
    }

    private static async Task<bool> RevokesAsync(RedisRevocationStore store, string issuer, string originTokenId)
    {
        try
        {
            await store.RevokeSignInAsync(issuer, originTokenId);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return false;
        }
    }
}
