using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TokenVerifier.Testing;

namespace TokenVerifier.IntegrationTests.Redis.Native;

/// <summary>The failover test's steps: the warm-up, the kill, the sign-outs, the recovery, and what excuses an early 503.</summary>
public sealed partial class FailoverUnderLoadTests
{
    /// <summary>
    /// Warm-up rounds (so a cold start is not mistaken for the failover) until one is answered 200 throughout and a sign-out
    /// is acknowledged: the load starts from a fleet seen healthy, not from one a starved machine holds past Timeout.
    /// </summary>
    private async Task<string> UntilReadyAsync(HttpClient[] clients, string[] tokens)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var refusedRounds = 0;
        for (var round = 1; ; round++)
        {
            var statuses = new HttpStatusCode[Warm * clients.Length];
            await Parallel.ForEachAsync(Enumerable.Range(0, statuses.Length), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) =>
                statuses[i] = await FleetLoad.GetMeAsync(clients[i % clients.Length], tokens[Tokens - 1 - (i / clients.Length)], ct));
            var counts = string.Join(", ", statuses.GroupBy(s => (int)s).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"));
            var signOut = "not sent";
            if (statuses.All(s => s == HttpStatusCode.OK))
            {
                // A token of its own, never part of the load: the write path (with MinReplicas, the replica's WAIT) works too.
                var ready = _pool.MintAccessToken(new LocalTokenOptions { Username = $"ready{round}" });
                var status = await FleetLoad.SignOutAsync(clients[round % clients.Length], ready);
                if (status == HttpStatusCode.NoContent)
                {
                    return Invariant($"warm-up: {round} rounds of {statuses.Length} requests in {clock.Elapsed.TotalSeconds:F1} s until one was answered 200 throughout and a sign-out acknowledged ({refusedRounds} rounds refused)");
                }

                signOut = Invariant($"{(int)status}");
            }

            refusedRounds++;
            Assert.True(clock.Elapsed < ReadyLimit, Invariant($"The fleet was not healthy before the kill: after {round} warm-up rounds in {clock.Elapsed.TotalSeconds:F1} s, the last was answered {counts} and its sign-out {signOut}."));
        }
    }

    private async Task<(double KillMs, int KilledAfter, double PromotedMs, double ReplicaBackMs)> KillPrimaryAsync(RedisSentinelGroup group, FleetLoad load, Task running)
    {
        await load.UntilCompletedAsync(KillAt, running);
        while (Volatile.Read(ref _acknowledged) < AckedBeforeKill && load.Completed < Requests / 2 && !running.IsCompleted)
        {
            await Task.Delay(1);
        }

        var (killMs, killedAfter) = (load.Clock.Elapsed.TotalMilliseconds, load.Completed);
        _killOnWarningClockMs = _logClock.Elapsed.TotalMilliseconds;
        await group.Primary.KillAsync();
        await RedisSentinelGroup.UntilAsync(() => group.SentinelsNameAsync(group.Replica.Port), "The Sentinels did not promote the replica.", PromotionLimit);
        var promotedMs = load.Clock.Elapsed.TotalMilliseconds;

        // With MinReplicas = 1 the promoted primary acknowledges revocations again once it has a replica of its own.
        await group.AddReplicaAsync(group.Replica);
        await RedisSentinelGroup.UntilAsync(() => RedisSentinelGroup.ReplicaOnlineAsync(group.Replica), "The replacement replica did not come online.", TimeSpan.FromSeconds(30));
        return (killMs, killedAfter, promotedMs, load.Clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>Sign-out <paramref name="n"/> of <see cref="Revoked"/>, sent once its share of the load has run (5 % to 85 % of it), retried on 503 as a client would.</summary>
    private async Task<SignOut> SignOutDuringAsync(FleetLoad load, Task running, HttpClient[] clients, string[] tokens, int n)
    {
        await load.UntilCompletedAsync(Requests * (5 + (80 * n / (Revoked - 1))) / 100, running);
        var token = n * (Tokens / Revoked);
        var random = new Random(n);
        var sentMs = load.Clock.Elapsed.TotalMilliseconds;
        for (var attempt = 1; ; attempt++)
        {
            var status = await FleetLoad.SignOutAsync(clients[random.Next(clients.Length)], tokens[token]);
            switch (status)
            {
                case HttpStatusCode.NoContent:
                    // Timed before it is counted, so the kill that this count lets through comes after it on the clock.
                    var ackMs = load.Clock.Elapsed.TotalMilliseconds;
                    Interlocked.Increment(ref _acknowledged);
                    return new SignOut(token, ackMs, attempt);
                case HttpStatusCode.Unauthorized when attempt > 1:
                    // An earlier attempt reached the primary but no replica confirmed it: refused already, never acknowledged.
                    return new SignOut(token, null, attempt);
                case HttpStatusCode.ServiceUnavailable:
                    Assert.True(load.Clock.Elapsed.TotalMilliseconds - sentMs < SignOutGivesUp.TotalMilliseconds, Invariant($"Sign-out {n} still got 503 after {attempt} attempts."));
                    await Task.Delay(100);
                    break;
                default:
                    Assert.Fail(Invariant($"Sign-out {n} got {(int)status} on attempt {attempt}."));
                    break;
            }
        }
    }

    /// <summary>Polls one instance with a freshly signed, never cached valid token until it is accepted; its 503s join <paramref name="refusals"/>.</summary>
    private async Task UntilAcceptedAsync(FleetLoad load, HttpClient client, List<(double StartMs, double EndMs)> refusals)
    {
        while (true)
        {
            var token = _pool.MintAccessToken(new LocalTokenOptions { Username = $"recovery{Guid.NewGuid():N}" });
            var startMs = load.Clock.Elapsed.TotalMilliseconds;
            var status = await FleetLoad.GetMeAsync(client, token);
            var endMs = load.Clock.Elapsed.TotalMilliseconds;
            if (status == HttpStatusCode.OK)
            {
                return;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            refusals.Add((startMs, endMs));
            Assert.True(endMs < TimeSpan.FromSeconds(120).TotalMilliseconds, "An instance did not accept a valid token again.");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// When the instance first warned that a revocation lookup went unanswered for Timeout (a <see cref="TimeoutException"/>),
    /// on the logs' clock, if it warned of no other failure of its store before the kill; null otherwise. Before the kill
    /// the primary is up: such a lookup was held by the test's own load (three apps, five Redis processes and 16 clients on
    /// two cores), and FailClosed must answer it, and the BreakDuration after it, with 503. Any other failure of the store,
    /// or a 503 before this warning, is a fault.
    /// </summary>
    private double? StarvedSinceMs(WarningLog log)
    {
        var failures = log.Entries.Where(e => e.EventId == RevocationStoreUnavailable && e.Ms < _killOnWarningClockMs).ToList();
        return failures.Count > 0 && failures.All(e => e.ExceptionType == nameof(TimeoutException)) ? failures.Min(e => e.Ms) : null;
    }

    private static async Task UntilHealthyAsync(SampleInstance instance)
    {
        var health = instance.Services.GetRequiredService<HealthCheckService>();
        await RedisSentinelGroup.UntilAsync(async () => (await health.CheckHealthAsync()).Entries["userpool-revocation"].Status == HealthStatus.Healthy, "An instance's revocation store did not become healthy.");
    }
}
