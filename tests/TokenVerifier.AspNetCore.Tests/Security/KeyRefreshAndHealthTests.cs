using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TokenVerifier.AspNetCore.Health;
using TokenVerifier.AspNetCore.Tests.Hosting;
using TokenVerifier.Keys;
using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Tests.Security;

public sealed class KeyRefreshAndHealthTests
{
    [Fact]
    public async Task Keys_are_fetched_at_start_and_refreshed_ahead_of_staleness_without_any_traffic()
    {
        await using var host = await KeyHost.StartAsync();
        Assert.Equal((1, 1), (host.Network.Count(host.A), host.Network.Count(host.B)));

        // Due at three quarters of the one-hour refresh interval, and not before.
        host.Time.Advance(TimeSpan.FromMinutes(44));
        await Task.Delay(100);
        Assert.Equal((1, 1), (host.Network.Count(host.A), host.Network.Count(host.B)));
        host.Time.Advance(TimeSpan.FromMinutes(1));
        await KeyHost.Until(() => host.Network.Count(host.A) == 2 && host.Network.Count(host.B) == 2);

        // The refresher fetches several key sets at once: a request counted is not yet a key set replaced.
        await KeyHost.Until(() => host.Validators.Get().KeyCaches.All(c => c.GetStatus().LastRefreshed == KeyHost.Start.AddMinutes(45)));
        var report = await host.CheckAsync();
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(KeyHost.Start.AddMinutes(45), KeyHost.Status(report, host.A).LastRefreshed);

        // A rotation is picked up by the next refresh: the first token of the new key needs no fetch of its own.
        var oldKid = host.A.CurrentKeyId;
        host.A.RotateKey(keepPreviousKey: false);
        host.Time.Advance(TimeSpan.FromMinutes(45));
        await KeyHost.Until(() => host.Network.Count(host.A) == 3);
        var result = await host.Validators.Get().ValidateAsync(host.A.MintAccessToken());
        Assert.Equal(TokenFailure.None, result.Failure);
        Assert.NotEqual(oldKid, result.Token!.KeyId);
        Assert.Equal(3, host.Network.Count(host.A));
    }

    [Fact]
    public async Task Health_goes_Degraded_on_stale_keys_Unhealthy_past_MaxStaleness_and_back_to_Healthy()
    {
        await using var host = await KeyHost.StartAsync(o => o.MaxStaleness = TimeSpan.FromHours(3));
        Assert.Equal("Healthy", await HealthAsync(host, HttpStatusCode.OK));
        var report = await host.CheckAsync();
        Assert.Equal("2 signing key set(s) fresh.", report.Entries[UserPoolHealthChecksBuilderExtensions.DefaultName].Description);
        Assert.Equal(new[] { host.A.JwksUri.ToString(), host.B.JwksUri.ToString() }.Order(StringComparer.Ordinal), report.Entries[UserPoolHealthChecksBuilderExtensions.DefaultName].Data.Keys.Order(StringComparer.Ordinal));

        // Pool A's endpoint fails: its last good keys still serve, the pool is Degraded, pool B stays fresh.
        host.Network.Fail(host.A, true);
        host.Time.Advance(TimeSpan.FromMinutes(45));
        await KeyHost.Until(() => host.Network.Count(host.A) >= 2);
        await KeyHost.Until(() => host.Validators.Get().KeyCaches[0].GetStatus().State == KeySetState.Stale);
        Assert.Equal("Degraded", await HealthAsync(host, HttpStatusCode.OK));
        report = await host.CheckAsync();
        Assert.Equal(
            $"The keys of {host.A.JwksUri} are stale, refreshed 2026-11-24T12:00:00Z (last error: HTTP 500).",
            report.Entries[UserPoolHealthChecksBuilderExtensions.DefaultName].Description);
        Assert.Equal(KeySetState.Stale, KeyHost.Status(report, host.A).State);
        Assert.Equal(KeySetState.Fresh, KeyHost.Status(report, host.B).State);
        Assert.True((await host.Validators.Get().ValidateAsync(host.A.MintAccessToken())).IsValid);

        // Past MaxStaleness the old keys are no longer used: Unhealthy, 503.
        host.Time.Advance(TimeSpan.FromHours(2.5));
        Assert.Equal("Unhealthy", await HealthAsync(host, HttpStatusCode.ServiceUnavailable));
        report = await host.CheckAsync();
        Assert.StartsWith($"The keys of {host.A.JwksUri} are past their maximum staleness, refreshed 2026-11-24T12:00:00Z", report.Entries[UserPoolHealthChecksBuilderExtensions.DefaultName].Description, StringComparison.Ordinal);
        Assert.Equal(TokenFailure.KeysUnavailable, (await host.Validators.Get().ValidateAsync(host.A.MintAccessToken())).Failure);

        // The endpoint recovers: the next tick of the background refresh makes it Healthy without a request.
        host.Network.Fail(host.A, false);
        host.Time.Advance(TimeSpan.FromMinutes(1));
        await KeyHost.Until(() => host.Validators.Get().KeyCaches[0].GetStatus().State == KeySetState.Fresh);
        Assert.Equal("Healthy", await HealthAsync(host, HttpStatusCode.OK));
    }

    [Fact]
    public async Task Health_is_Unhealthy_when_a_pool_never_had_keys()
    {
        await using var host = await KeyHost.StartAsync(poolADownFromStart: true);
        Assert.Equal("Unhealthy", await HealthAsync(host, HttpStatusCode.ServiceUnavailable));
        var report = await host.CheckAsync();
        Assert.Equal(
            $"The keys of {host.A.JwksUri} have never been fetched (last error: HTTP 500).",
            report.Entries[UserPoolHealthChecksBuilderExtensions.DefaultName].Description);
        Assert.Equal(KeySetState.Missing, KeyHost.Status(report, host.A).State);
        Assert.Equal(KeySetState.Fresh, KeyHost.Status(report, host.B).State);
    }

    [Fact]
    public async Task The_check_is_Unhealthy_without_a_user_pool_scheme_and_honours_a_custom_failure_status()
    {
        var builder = TestHosts.CreateBuilder();
        builder.Services.AddHealthChecks().AddUserPoolHealthChecks("keys", HealthStatus.Degraded, ["ready"]);
        await using var app = builder.Build();
        await app.StartAsync();

        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var entry = report.Entries["keys"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal("No user pool authentication scheme is registered.", entry.Description);
        Assert.Equal(["ready"], entry.Tags);
    }

    private static async Task<string> HealthAsync(KeyHost host, HttpStatusCode expected)
    {
        var response = await host.Client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
