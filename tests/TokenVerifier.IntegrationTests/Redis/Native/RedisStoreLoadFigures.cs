using System.Globalization;
using System.Net;
using StackExchange.Redis;
using TokenVerifier.Testing;
using Xunit.Abstractions;

namespace TokenVerifier.IntegrationTests.Redis.Native;

/// <summary>
/// Requests per second, p50/p99 latency and Redis commands per request of the native store beside the
/// <see cref="Microsoft.Extensions.Caching.Distributed.IDistributedCache"/> one, in the same run under the same load: three
/// sample instances (in memory) sharing one redis-server, local cache 1 s, a fixed count of <c>GET /me</c> requests 16 at
/// a time, 1 % of the tokens signed out during the run. The commands are counted by Redis itself (<c>INFO stats</c>
/// <c>total_commands_processed</c> and <c>INFO commandstats</c>, before and after), so they are measured, not assumed.
/// Rounds alternate native, IDistributedCache, IDistributedCache, native, so a machine growing busier or quieter
/// shows in both. The suite runs it small (2,000 requests a round: every answer right under load on both stores, and the
/// commands counted); <c>benchmarks/redis/run.sh</c> runs it at 30,000 for the figures of <c>benchmarks/README.md</c>.
/// </summary>
[Collection(SharedRedis.Name)]
public sealed class RedisStoreLoadFigures(ITestOutputHelper output) : IDisposable
{
    private const int Tokens = 1_000;
    private const int SignOuts = Tokens / 100;
    private const int Concurrency = 16;
    private const int Warm = 300;
    private static readonly bool[] Rounds = [true, false, false, true];
    private readonly LocalUserPool _pool = new(SampleInstance.PoolId);

    private static int Requests => int.TryParse(Environment.GetEnvironmentVariable("TOKENVERIFIER_REDIS_LOAD_REQUESTS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 2_000;

    public void Dispose() => _pool.Dispose();

    [Fact]
    public async Task Requests_per_second_p99_and_Redis_commands_per_request_of_the_native_and_the_IDistributedCache_store()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var probe = await RedisProbe.ConnectAsync(redis);

        // A fresh test process runs its first rounds slower (JIT, thread pool growth): one unreported round per store first.
        await MeasureAsync(redis, probe, native: true, seed: -1, Requests / 5);
        await MeasureAsync(redis, probe, native: false, seed: -2, Requests / 5);
        var rows = new List<Row>();
        for (var round = 0; round < Rounds.Length; round++)
        {
            rows.Add(await MeasureAsync(redis, probe, Rounds[round], seed: round, Requests));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Requests} GET /me per round over 3 sample instances (in memory) sharing one redis-server (loopback), {Concurrency} at a time, {Tokens} tokens, {SignOuts} signed out during the round, local cache 1 s; load average at the end {LoadAverage()}"));
        output.WriteLine("| round | store | req/s | p50 ms | p99 ms | Redis commands per request | commands (by name) |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---|");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {i + 1} | {(r.Native ? "native" : "IDistributedCache")} | {r.PerSecond:F0} | {r.P50:F2} | {r.P99:F2} | {r.CommandsPerRequest:F3} | {r.Commands} |"));
        }

        // Every round reached Redis (a miss of the local cache reads it), and the count came from Redis itself.
        Assert.All(rows, r => Assert.True(r.CommandsPerRequest > 0, $"no Redis command counted in a {(r.Native ? "native" : "IDistributedCache")} round"));
        var native = rows.Where(r => r.Native).ToArray();
        var distributed = rows.Where(r => !r.Native).ToArray();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratios IDistributedCache / native (means of the rounds): req/s {distributed.Average(r => r.PerSecond) / native.Average(r => r.PerSecond):F2}, p50 {distributed.Average(r => r.P50) / native.Average(r => r.P50):F2}, p99 {distributed.Average(r => r.P99) / native.Average(r => r.P99):F2}, Redis commands per request {distributed.Average(r => r.CommandsPerRequest) / native.Average(r => r.CommandsPerRequest):F2}"));
    }

    private async Task<Row> MeasureAsync(RedisServer redis, ConnectionMultiplexer probe, bool native, int seed, int count)
    {
        (string, string)[] settings =
        [
            ("Sample:RedisNativeRevocation", native ? "true" : "false"),
            ("UserPool:Revocation:LocalCacheDuration", "00:00:01"),
            ("UserPool:Revocation:KeyPrefix", $"tv-figures-{Guid.NewGuid():N}:"),
        ];
        var instances = Enumerable.Range(0, 3).Select(_ => new SampleInstance(_pool, redis, settings)).ToArray();
        try
        {
            var clients = instances.Select(i => i.CreateClient()).ToArray();
            var tokens = new string[Tokens];
            Parallel.For(0, Tokens, i => tokens[i] = _pool.MintAccessToken(new LocalTokenOptions { Username = $"figures{seed}-{i}" }));
            var warmTokens = Enumerable.Range(0, Warm).Select(i => _pool.MintAccessToken(new LocalTokenOptions { Username = $"warm{seed}-{i}" })).ToArray();
            await Parallel.ForEachAsync(Enumerable.Range(0, Warm * clients.Length), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) =>
                Assert.Equal(HttpStatusCode.OK, await FleetLoad.GetMeAsync(clients[i % clients.Length], warmTokens[i / clients.Length], ct)));

            var before = await CommandsAsync(probe);
            var load = new FleetLoad(clients, tokens);
            var running = load.RunAsync(count, Concurrency, Math.Abs(seed));
            var signOuts = Enumerable.Range(0, SignOuts).Select(async n =>
            {
                await load.UntilCompletedAsync(count * (n + 1) / (SignOuts + 1), running);
                Assert.Equal(HttpStatusCode.NoContent, await FleetLoad.SignOutAsync(clients[n % clients.Length], tokens[n * (Tokens / SignOuts)]));
            }).ToArray();
            var requests = await running;
            var seconds = (load.Clock.Elapsed.TotalMilliseconds - requests.Min(r => r.StartMs)) / 1000;
            await Task.WhenAll(signOuts);
            var after = await CommandsAsync(probe);

            Assert.DoesNotContain(requests, r => r.Status is not (HttpStatusCode.OK or HttpStatusCode.Unauthorized));
            var latencies = requests.Select(r => r.EndMs - r.StartMs).Order().ToArray();
            var delta = after.ByName.Select(c => (c.Key, Calls: c.Value - before.ByName.GetValueOrDefault(c.Key))).Where(c => c.Calls > 0 && c.Key != "info").OrderByDescending(c => c.Calls);
            return new Row(
                native,
                count / seconds,
                Percentile(latencies, 50),
                Percentile(latencies, 99),
                (double)(after.Total - before.Total - 1) / count,
                string.Join(", ", delta.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Calls}"))));
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    /// <summary>What Redis has run so far: <c>total_commands_processed</c> and the calls of each command.</summary>
    private static async Task<(long Total, Dictionary<string, long> ByName)> CommandsAsync(ConnectionMultiplexer probe)
    {
        var server = probe.GetServers()[0];
        var total = long.Parse((await server.InfoAsync("stats")).SelectMany(g => g).Single(e => e.Key == "total_commands_processed").Value, CultureInfo.InvariantCulture);
        var byName = new Dictionary<string, long>();
        foreach (var entry in (await server.InfoAsync("commandstats")).SelectMany(g => g))
        {
            // cmdstat_get:calls=123,usec=...
            var calls = entry.Value.Split(',')[0];
            byName[entry.Key["cmdstat_".Length..]] = long.Parse(calls["calls=".Length..], CultureInfo.InvariantCulture);
        }

        return (total, byName);
    }

    private static double Percentile(double[] sorted, int percent) => sorted[Math.Max(0, (int)Math.Ceiling(sorted.Length * percent / 100.0) - 1)];

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private sealed record Row(bool Native, double PerSecond, double P50, double P99, double CommandsPerRequest, string Commands);
}
