using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TokenVerifier.Testing;
using Xunit.Abstractions;

namespace TokenVerifier.IntegrationTests.Redis.Native;

/// <summary>
/// How long a sign-out on one of three instances (the sample on Kestrel, loopback) takes to be enforced by the other two,
/// with the local cache on (1 s), for both Redis stores in the same run. The figures go to the test output.
/// </summary>
[Collection(SharedRedis.Name)]
public sealed class FleetPropagationTests(RedisFixture fixture, ITestOutputHelper output) : IDisposable
{
    private const int Revocations = 200;

    // One sign-out at a time for the native store, so the pollers' own load does not become the figure; the old store's
    // one-second window dominates its figure, so ten at a time only shortens the run.
    private const int NativeConcurrent = 1;
    private const int DistributedConcurrent = 10;
    private static readonly Uri Me = new("/me", UriKind.Relative);
    private static readonly Uri SignOut = new("/auth/signout", UriKind.Relative);
    private readonly LocalUserPool _pool = new(SampleInstance.PoolId);

    public void Dispose() => _pool.Dispose();

    [Fact]
    public async Task A_sign_out_is_enforced_by_the_other_two_of_three_instances_within_100_ms_at_p99_with_the_native_store()
    {
        var native = await MeasureAsync(native: true, NativeConcurrent);
        var distributed = await MeasureAsync(native: false, DistributedConcurrent);

        output.WriteLine($"{Revocations} sign-outs per store, 3 instances on Kestrel (loopback), local cache 1 s; time from sending the sign-out to A until both B and C answer 401 (polled every 2 ms)");
        output.WriteLine("| store | sign-outs at a time | p50 ms | p99 ms | max ms |");
        output.WriteLine("|---|---|---|---|---|");
        output.WriteLine(Row("Redis native (pub/sub)", NativeConcurrent, native));
        output.WriteLine(Row("IDistributedCache (Redis)", DistributedConcurrent, distributed));
        output.WriteLine("native, slowest: " + string.Join(", ", native.Select((ms, i) => (ms, i)).OrderByDescending(x => x.ms).Take(5).Select(x => string.Create(CultureInfo.InvariantCulture, $"#{x.i} {x.ms:F0} ms"))));

        Assert.True(Percentile(native, 99) <= 100, $"p99 {Percentile(native, 99):F1} ms");

        // The same measurement shows the old store's window, so this test can tell the two apart.
        Assert.True(Percentile(distributed, 99) > 100, $"p99 {Percentile(distributed, 99):F1} ms");
    }

    private async Task<double[]> MeasureAsync(bool native, int concurrent)
    {
        (string, string)[] settings =
        [
            ("Sample:RedisNativeRevocation", native ? "true" : "false"),
            ("UserPool:Revocation:LocalCacheDuration", "00:00:01"),
            ("UserPool:Revocation:KeyPrefix", $"tv-fleet-{Guid.NewGuid():N}:"),
        ];
        var instances = Enumerable.Range(0, 3).Select(_ => new SampleInstance(_pool, fixture.Server, settings)).ToArray();
        try
        {
            foreach (var instance in instances)
            {
                instance.UseKestrel(0);
                instance.StartServer();
            }

            // A fleet in service: every instance's store answers (and the native one has its channel).
            foreach (var instance in instances)
            {
                var health = instance.Services.GetRequiredService<HealthCheckService>();
                var started = Stopwatch.StartNew();
                while ((await health.CheckHealthAsync()).Entries["userpool-revocation"].Status != HealthStatus.Healthy)
                {
                    Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), "An instance's revocation store did not become healthy.");
                    await Task.Delay(20);
                }
            }

            var latencies = new double[Revocations];
            await Parallel.ForEachAsync(Enumerable.Range(0, Revocations), new ParallelOptions { MaxDegreeOfParallelism = concurrent }, async (i, ct) =>
            {
                var signIn = _pool.SignIn(new LocalTokenOptions { Username = $"fleet{i}" });
                using var a = instances[0].ClientWith(signIn.AccessToken);
                using var b = instances[1].ClientWith(signIn.AccessToken);
                using var c = instances[2].ClientWith(signIn.AccessToken);

                // B and C hold "not revoked" in their local caches when the sign-out happens.
                Assert.Equal(HttpStatusCode.OK, (await b.GetAsync(Me, ct)).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await c.GetAsync(Me, ct)).StatusCode);

                var clock = Stopwatch.StartNew();
                using (var signedOut = await a.PostAsync(SignOut, null, ct))
                {
                    Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
                }

                await Task.WhenAll(UntilRefusedAsync(b, clock, ct), UntilRefusedAsync(c, clock, ct));
                latencies[i] = clock.Elapsed.TotalMilliseconds;
            });
            return latencies;
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    private static async Task UntilRefusedAsync(HttpClient client, Stopwatch clock, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var response = await client.GetAsync(Me, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                return;
            }

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "The sign-out was not enforced within 5 s.");
            await Task.Delay(2, cancellationToken);
        }
    }

    private static double Percentile(double[] values, int percent)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Max(0, (int)Math.Ceiling(sorted.Length * percent / 100.0) - 1)];
    }

    private static string Row(string name, int concurrent, double[] values) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {concurrent} | {Percentile(values, 50):F1} | {Percentile(values, 99):F1} | {values.Max():F1} |");
}
