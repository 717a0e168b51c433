using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TokenVerifier.Testing;
using Xunit.Abstractions;

namespace TokenVerifier.IntegrationTests.Redis.Native;

/// <summary>
/// The failover under load: primary + replica + three Sentinels (real processes on loopback), three sample instances on
/// the native store found through the Sentinels, <c>FailClosed</c>, <c>MinReplicas = 1</c>; 20,000 requests spread over
/// the instances, 1 % of the tokens signed out during the run (each sign-out on a random instance, retried on 503 as a
/// client does), and the primary killed (SIGKILL, by its pid) a quarter of the way in. A replacement replica joins the
/// promoted one, as an orchestrator would start one. The figures go to the test output.
/// </summary>
[Collection(RedisFailover.Name)]
public sealed class FailoverUnderLoadTests(ITestOutputHelper output) : IDisposable
{
    private const int Requests = 20_000;
    private const int Tokens = 2_000;
    private const int Revoked = Tokens / 100;
    private const int Concurrency = 16;
    private const int KillAt = Requests / 4;
    private const int Warm = 300;

    // Enough acknowledged sign-outs to show that none is lost: the kill waits for them, until half the load at most.
    private const int AckedBeforeKill = 3;

    // The bound on waiting for a healthy fleet before the load (a warm-up round takes under a second unloaded).
    private static readonly TimeSpan ReadyLimit = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan LocalCache = TimeSpan.FromSeconds(1);
    // 2 s, not 1: the test's own load (three instances, five Redis processes and 16 clients on two cores) once held a
    // lookup past 1 s before the kill, and FailClosed rightly answered 503 for it; the library's bound below grows with it.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SignOutGivesUp = TimeSpan.FromSeconds(30);

    // While an instance's channel is lost (it was on the dead primary), a revocation made elsewhere reaches it only when its
    // local "not revoked" answers lapse; the margin covers an answer read just before the revocation and cached just after.
    private static readonly TimeSpan PropagationWindow = LocalCache + TimeSpan.FromMilliseconds(500);

    // The FailClosed window has two parts. The Sentinels' failover: down-after-milliseconds to see the primary down, about
    // 2 s more to agree on it and start, and each election that fails (failover-timeout) retried after twice
    // failover-timeout; measured 2.4-14 s on a 2-core machine at load average 50, bounded here by PromotionLimit. The
    // library's part, asserted: a lookup sent to the dead primary just before the clients switch waits Timeout, and its
    // failure opens the breaker for BreakDuration, so the last 503 comes at most Timeout + BreakDuration after the new
    // primary is named (measured under 1 s).
    private static readonly TimeSpan PromotionLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AfterPromotionBound = Timeout + BreakDuration;

    private readonly LocalUserPool _pool = new(SampleInstance.PoolId);

    // What the apps warned of (a revocation lookup that failed names its exception), printed with the figures.
    private readonly WarningLog _warnings = new();
    private double _killOnWarningClockMs;
    private int _acknowledged;

    public void Dispose() => _pool.Dispose();

    [Fact]
    public async Task Killing_the_primary_under_load_loses_no_acknowledged_revocation_and_refuses_valid_tokens_only_within_the_FailClosed_window()
    {
        await using var group = await RedisSentinelGroup.StartAsync();
        (string, string)[] settings =
        [
            ("UserPool:Revocation:Redis", group.ConnectionString),
            ("Sample:RedisNativeRevocation", "true"),
            ("UserPool:Revocation:FailureMode", "FailClosed"),
            ("UserPool:Revocation:Timeout", Format(Timeout)),
            ("UserPool:Revocation:BreakDuration", Format(BreakDuration)),
            ("UserPool:Revocation:LocalCacheDuration", Format(LocalCache)),
            ("UserPool:Revocation:MinReplicas", "1"),
            ("UserPool:Revocation:KeyPrefix", $"tv-failover-{Guid.NewGuid():N}:"),
        ];
        // The settings' UserPool:Revocation:Redis (the Sentinels) replaces the primary's address that SampleInstance sets.
        var instances = Enumerable.Range(0, 3).Select(_ => new SampleInstance(_pool, group.Primary, settings) { Warnings = _warnings }).ToArray();
        try
        {
            var clients = instances.Select(i => i.CreateClient()).ToArray();
            foreach (var instance in instances)
            {
                await UntilHealthyAsync(instance);
            }

            var tokens = new string[Tokens];
            Parallel.For(0, Tokens, i => tokens[i] = _pool.MintAccessToken(new LocalTokenOptions { Username = $"failover{i}" }));

            var warmUp = await UntilReadyAsync(clients, tokens);
            var load = new FleetLoad(clients, tokens);
            var running = load.RunAsync(Requests, Concurrency, seed: 16);
            var failover = KillPrimaryAsync(group, load, running);
            var signOuts = Enumerable.Range(0, Revoked).Select(i => SignOutDuringAsync(load, running, clients, tokens, i)).ToArray();
            var requests = await running;
            var loadEndMs = load.Clock.Elapsed.TotalMilliseconds;
            var (killMs, killedAfter, promotedMs, replicaBackMs) = await failover;
            var outcomes = await Task.WhenAll(signOuts);

            // Recovery without restart: each instance answers 200 again for a valid token none of them has cached.
            var refusals = requests.Where(r => r.Status == HttpStatusCode.ServiceUnavailable).Select(r => (r.StartMs, r.EndMs)).ToList();
            var duringLoad = refusals.Count;
            foreach (var client in clients)
            {
                await UntilAcceptedAsync(load, client, refusals);
            }

            var acknowledged = outcomes.Where(o => o.AckMs is not null).ToDictionary(o => o.Token, o => o.AckMs!.Value);
            var signedOut = outcomes.Select(o => o.Token).ToHashSet();
            var problems = new List<string>();
            var latestAcceptanceMs = double.NegativeInfinity;
            foreach (var r in requests)
            {
                var revoked = acknowledged.TryGetValue(r.Token, out var ackMs);
                switch (r.Status)
                {
                    case HttpStatusCode.OK when revoked && r.StartMs > ackMs:
                        latestAcceptanceMs = Math.Max(latestAcceptanceMs, r.StartMs - ackMs);
                        if (r.StartMs > ackMs + PropagationWindow.TotalMilliseconds)
                        {
                            problems.Add(Invariant($"token {r.Token} accepted by instance {r.Instance} {r.StartMs - ackMs:F0} ms after its sign-out was acknowledged"));
                        }

                        break;
                    case HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable:
                        break;
                    case HttpStatusCode.Unauthorized when signedOut.Contains(r.Token):
                        break;
                    default:
                        problems.Add(Invariant($"token {r.Token} (not signed out) got {(int)r.Status} from instance {r.Instance} at {r.StartMs - killMs:F0} ms from the kill"));
                        break;
                }
            }

            // After the failover and once every local answer has lapsed: what each instance reads is what Redis holds.
            await Task.Delay(LocalCache + TimeSpan.FromMilliseconds(100));
            foreach (var (token, _) in acknowledged)
            {
                for (var i = 0; i < clients.Length; i++)
                {
                    var status = await FleetLoad.GetMeAsync(clients[i], tokens[token]);
                    if (status != HttpStatusCode.Unauthorized)
                    {
                        problems.Add(Invariant($"LOST: token {token}, whose sign-out was acknowledged, got {(int)status} from instance {i} after the failover"));
                    }
                }
            }

            foreach (var token in Enumerable.Range(0, Tokens).Where(t => !signedOut.Contains(t)).Take(100))
            {
                for (var i = 0; i < clients.Length; i++)
                {
                    var status = await FleetLoad.GetMeAsync(clients[i], tokens[token]);
                    if (status != HttpStatusCode.OK)
                    {
                        problems.Add(Invariant($"valid token {token} got {(int)status} from instance {i} after the failover"));
                    }
                }
            }

            var ackedBeforeKill = acknowledged.Values.Count(ms => ms < killMs);
            var firstRefusal = refusals.Count == 0 ? double.NaN : refusals.Min(r => r.EndMs);
            var lastRefusal = refusals.Count == 0 ? double.NaN : refusals.Max(r => r.EndMs);
            var loadSeconds = (loadEndMs - requests.Min(r => r.StartMs)) / 1000;
            output.WriteLine(warmUp);
            output.WriteLine(Invariant($"the apps' warnings ({_warnings.Lines.Count}, the first 200 at most; the primary was killed at {_killOnWarningClockMs:F0} ms on their clock):"));
            foreach (var line in _warnings.Lines.Take(20))
            {
                output.WriteLine("  " + line);
            }

            output.WriteLine(Invariant($"{Requests} requests over 3 instances, {Concurrency} at a time, {Tokens} tokens, in {loadSeconds:F1} s ({Requests / loadSeconds:F0} req/s); statuses: {string.Join(", ", requests.GroupBy(r => (int)r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"))}"));
            output.WriteLine(Invariant($"primary killed at {killMs / 1000:F2} s ({killedAfter} requests done); Sentinels named the replica primary {(promotedMs - killMs) / 1000:F2} s after the kill; replacement replica in sync {(replicaBackMs - killMs) / 1000:F2} s after"));
            output.WriteLine(Invariant($"FailClosed window (first to last 503 answered): {refusals.Count} 503s from {(firstRefusal - killMs) / 1000:F2} s to {(lastRefusal - killMs) / 1000:F2} s after the kill = {(lastRefusal - firstRefusal) / 1000:F2} s (Sentinels' failover + at most {AfterPromotionBound.TotalSeconds:F0} s), the last {(lastRefusal - promotedMs) / 1000:F2} s after the Sentinels named the new primary (bound {AfterPromotionBound.TotalSeconds:F0} s); after the load, {refusals.Count - duringLoad} 503s before every instance accepted an uncached valid token"));
            output.WriteLine("503s per 500 ms from the kill: " + string.Join(", ", refusals.GroupBy(r => (int)Math.Floor((r.EndMs - killMs) / 500)).OrderBy(g => g.Key).Select(g => Invariant($"[{g.Key * 0.5:F1} s] {g.Count()}"))));
            output.WriteLine(Invariant($"sign-outs: {Revoked} sent, {acknowledged.Count} acknowledged (204; {ackedBeforeKill} before the kill), {Revoked - acknowledged.Count} refused by a 503 whose retry found the token already refused (written on the primary, not confirmed by a replica); attempts per sign-out max {outcomes.Max(o => o.Attempts)}; latest acceptance of a revoked token after its acknowledgement: {(double.IsNegativeInfinity(latestAcceptanceMs) ? "none" : Invariant($"{latestAcceptanceMs:F0} ms"))} (window {PropagationWindow.TotalMilliseconds:F0} ms)"));
            foreach (var problem in problems.Take(20))
            {
                output.WriteLine(problem);
            }

            Assert.Empty(problems);
            Assert.True(ackedBeforeKill >= AckedBeforeKill, Invariant($"Only {ackedBeforeKill} sign-outs were acknowledged before the kill: too few to show that none is lost."));
            Assert.True(acknowledged.Count >= Revoked / 2, Invariant($"Only {acknowledged.Count} of {Revoked} sign-outs were acknowledged."));
            Assert.True(refusals.Count == 0 || firstRefusal >= killMs, Invariant($"A token was refused with 503 {(killMs - firstRefusal) / 1000:F2} s before the primary was killed."));
            Assert.True(refusals.Count == 0 || lastRefusal - promotedMs <= AfterPromotionBound.TotalMilliseconds, Invariant($"503s went on until {(lastRefusal - promotedMs) / 1000:F2} s after the Sentinels named the new primary, past Timeout + BreakDuration."));
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

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
        _killOnWarningClockMs = _warnings.ElapsedMs;
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

    private static async Task UntilHealthyAsync(SampleInstance instance)
    {
        var health = instance.Services.GetRequiredService<HealthCheckService>();
        await RedisSentinelGroup.UntilAsync(async () => (await health.CheckHealthAsync()).Entries["userpool-revocation"].Status == HealthStatus.Healthy, "An instance's revocation store did not become healthy.");
    }

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>One sign-out: its token, when its 204 arrived (null if never acknowledged) and how many attempts it took.</summary>
    private sealed record SignOut(int Token, double? AckMs, int Attempts);
}
