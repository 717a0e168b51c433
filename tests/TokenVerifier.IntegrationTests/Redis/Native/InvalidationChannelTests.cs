using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using TokenVerifier.Diagnostics;
using TokenVerifier.Revocation;
using TokenVerifier.Testing;

namespace TokenVerifier.IntegrationTests.Redis.Native;

/// <summary>What the Redis store does without its invalidation channel: it falls back to the local cache's lifetime, says so, and recovers.</summary>
[Collection(SharedRedis.Name)]
public sealed class InvalidationChannelTests(RedisFixture fixture) : IAsyncLifetime, IDisposable
{
    private static readonly Uri Me = new("/me", UriKind.Relative);
    private readonly ValidatedTokens _tokens = new();
    private NativeStores _stores = null!;

    public Task InitializeAsync()
    {
        _stores = new NativeStores(fixture.Server.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _stores.DisposeAsync();

    public void Dispose() => _tokens.Dispose();

    [Fact]
    public async Task A_lost_channel_is_logged_counted_and_resubscribed_without_restart_and_revocations_then_arrive_at_once_again()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var losses = new MetricCollector<long>(meters, TokenVerifierMetrics.MeterName, "tokenverifier.revocation.subscription_losses");
        var logger = new FakeLogger<RedisRevocationStore>();
        var watched = await _stores.AddAsync(logger: logger, meters: meters);
        var revoking = await _stores.AddAsync();
        var token = await _tokens.ValidAsync("channel-loss");
        Assert.False(await watched.IsRevokedAsync(token));

        await using (var admin = await RedisProbe.ConnectAsync(fixture.Server))
        {
            await admin.GetServers()[0].ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");
        }

        // The Redis client notices the killed connection on its heartbeat and reconnects with a back-off: seconds when the
        // machine is quiet, more when the whole suite runs beside it (once past 15 s). The bound is only there to end the test.
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var steps = new[]
            {
                ("counted the loss", losses.GetMeasurementSnapshot().Count > 0),
                ("logged it (6020)", logger.Collector.GetSnapshot().Any(r => r.Id.Id == 6020)),
                ("logged the resubscription (6021)", logger.Collector.GetSnapshot().Any(r => r.Id.Id == 6021)),
                ("subscribed again", watched.IsSubscribed),
            };
            if (steps.All(s => s.Item2))
            {
                break;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(45), $"After {clock.Elapsed.TotalSeconds:F0} s the store had not {string.Join(", ", steps.Where(s => !s.Item2).Select(s => s.Item1))}.");
            await Task.Delay(20);
        }

        Assert.Equal(1, losses.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Id.Id == 6020 && r.Message.Contains("lost its invalidation channel", StringComparison.Ordinal));

        await revoking.RevokeSignInAsync(token.Issuer, token.OriginTokenId!);
        clock.Restart();
        while (!await watched.IsRevokedAsync(token))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "After resubscribing, the revocation did not arrive through the channel.");
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task Without_its_channel_an_instance_reports_Degraded_and_enforces_a_revocation_from_elsewhere_within_the_local_cache_lifetime()
    {
        // Redis 7 gives a new ACL user no channel: this connection can read and write keys but not subscribe.
        const string User = "tv-no-channels";
        await using var admin = await RedisProbe.ConnectAsync(fixture.Server);
        await admin.GetServers()[0].ExecuteAsync("ACL", "SETUSER", User, "on", ">secret", "~*", "+@all", "resetchannels");
        try
        {
            using var pool = new LocalUserPool(SampleInstance.PoolId);
            using var instance = new SampleInstance(
                pool,
                fixture.Server,
                ("UserPool:Revocation:Redis", $"{fixture.Server.ConnectionString},user={User},password=secret"),
                ("Sample:RedisNativeRevocation", "true"),
                ("UserPool:Revocation:LocalCacheDuration", "00:00:00.5"),
                ("UserPool:Revocation:KeyPrefix", _stores.Prefix));
            var report = await instance.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            var entry = report.Entries["userpool-revocation"];
            Assert.Equal(HealthStatus.Degraded, entry.Status);
            Assert.Equal("The revocation store (RedisRevocationStore) answers, but its invalidation channel is not subscribed: revocations made on other instances take effect here within the local cache lifetime (500 ms) instead of at once.", entry.Description);

            var signIn = pool.SignIn(new LocalTokenOptions { Username = "deaf" });
            using var client = instance.ClientWith(signIn.AccessToken);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Me)).StatusCode);
            var elsewhere = await _stores.AddAsync();
            await elsewhere.RevokeSignInAsync(pool.Issuer, OriginJtiOf(signIn.AccessToken));
            var clock = Stopwatch.StartNew();
            while ((await client.GetAsync(Me)).StatusCode == HttpStatusCode.OK)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), "The revocation was not enforced within the local cache lifetime.");
                await Task.Delay(20);
            }
        }
        finally
        {
            await admin.GetServers()[0].ExecuteAsync("ACL", "DELUSER", User);
        }
    }

    private static string OriginJtiOf(string token)
    {
        var payload = System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[1]);
        using var json = System.Text.Json.JsonDocument.Parse(payload);
        return json.RootElement.GetProperty("origin_jti").GetString()!;
    }
}
