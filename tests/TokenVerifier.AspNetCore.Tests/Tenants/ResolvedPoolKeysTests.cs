using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TokenVerifier.AspNetCore.Health;
using TokenVerifier.AspNetCore.Tests.Security;
using TokenVerifier.Keys;

namespace TokenVerifier.AspNetCore.Tests.Tenants;

/// <summary>
/// The key sets of pools a resolver approved, as an application meets them: refreshed in the background like configured
/// ones, reported by the health check (Degraded at worst, bounded), and let go of when their approval leaves the answer
/// cache or the app stops. Real HTTP through the pipeline, real keys, a fake clock.
/// </summary>
public sealed class ResolvedPoolKeysTests
{
    [Fact]
    public async Task Resolved_pool_keys_are_refreshed_ahead_of_staleness_without_traffic()
    {
        await using var host = await ResolvedPoolHost.StartAsync(1, o => o.ResolvedPoolLifetime = TimeSpan.FromHours(3));
        var tenant = host.Tenants[0];
        Assert.Equal(200, await host.StatusOfOrdersAsync(tenant));
        Assert.Equal(1, host.Network.Count(tenant));

        // Due at three quarters of the one-hour refresh interval, and not before.
        host.Time.Advance(TimeSpan.FromMinutes(44));
        await Task.Delay(100);
        Assert.Equal(1, host.Network.Count(tenant));
        host.Time.Advance(TimeSpan.FromMinutes(1));
        await KeyHost.Until(() => host.Network.Count(tenant) == 2);

        // A rotation is picked up by the next refresh: the first token of the new key needs no fetch of its own.
        tenant.RotateKey(keepPreviousKey: false);
        host.Time.Advance(TimeSpan.FromMinutes(45));
        await KeyHost.Until(() => host.Network.Count(tenant) == 3);
        Assert.Equal(200, await host.StatusOfOrdersAsync(tenant));
        Assert.Equal(3, host.Network.Count(tenant));
        Assert.Equal(1, host.Table.Questions);
    }

    [Fact]
    public async Task Resolved_pool_whose_keys_cannot_be_fetched_is_listed_Degraded_and_recovers_in_the_background()
    {
        await using var host = await ResolvedPoolHost.StartAsync(1);
        var tenant = host.Tenants[0];
        var refused = host.Tenants[^1];
        host.Network.Fail(tenant, true);
        Assert.Equal(503, await host.StatusOfOrdersAsync(tenant));
        Assert.Equal(401, await host.StatusOfOrdersAsync(refused));

        // One tenant's outage: Degraded, still 200 for a load balancer; the refused pool is nowhere.
        using (var response = await host.Client.GetAsync(new Uri("/health", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Degraded", await response.Content.ReadAsStringAsync());
        }

        var entry = await host.CheckAsync();
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal($"The keys of resolved pool {tenant.JwksUri} have never been fetched (last error: HTTP 500).", entry.Description);
        Assert.Equal(KeySetState.Missing, ((SigningKeyCacheStatus)entry.Data[tenant.JwksUri.ToString()]).State);
        Assert.Equal(KeySetState.Fresh, ((SigningKeyCacheStatus)entry.Data[host.Configured.JwksUri.ToString()]).State);
        Assert.Equal(1, entry.Data[UserPoolKeysHealthCheck.ResolvedPoolsKey]);
        Assert.Equal(1, entry.Data[UserPoolKeysHealthCheck.ResolvedPoolsNotFreshKey]);
        Assert.False(entry.Data.ContainsKey(refused.JwksUri.ToString()));
        Assert.Equal(0, host.Network.Count(refused));

        // The endpoint recovers: the next tick of the background refresh fetches, without a request.
        host.Network.Fail(tenant, false);
        host.Time.Advance(TimeSpan.FromMinutes(1));
        await KeyHost.Until(() => host.Network.Count(tenant) >= 2 && host.Registry.Caches.All(c => c.GetStatus().State == KeySetState.Fresh));
        entry = await host.CheckAsync();
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("2 signing key set(s) fresh, 1 of them of resolved pools.", entry.Description);
        Assert.Equal(0, entry.Data[UserPoolKeysHealthCheck.ResolvedPoolsNotFreshKey]);
        Assert.False(entry.Data.ContainsKey(tenant.JwksUri.ToString()));
        Assert.Equal(200, await host.StatusOfOrdersAsync(tenant));
    }

    [Fact]
    public async Task Health_names_at_most_ten_resolved_pools_with_failing_keys_and_counts_the_rest()
    {
        await using var host = await ResolvedPoolHost.StartAsync(12);
        foreach (var tenant in host.Tenants[..12])
        {
            host.Network.Fail(tenant, true);
            Assert.Equal(503, await host.StatusOfOrdersAsync(tenant));
        }

        var entry = await host.CheckAsync();

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal(UserPoolKeysHealthCheck.MaxResolvedPoolsListed, host.Tenants.Count(t => entry.Data.ContainsKey(t.JwksUri.ToString())));
        Assert.Equal(1 + UserPoolKeysHealthCheck.MaxResolvedPoolsListed + 2, entry.Data.Count);
        Assert.Equal(12, entry.Data[UserPoolKeysHealthCheck.ResolvedPoolsNotFreshKey]);
        Assert.EndsWith("; 2 more resolved pool(s) have keys that are not fresh.", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pools_evicted_from_the_answer_cache_leave_the_registry_and_fetch_again_when_they_come_back()
    {
        await using var host = await ResolvedPoolHost.StartAsync(5, o => o.ResolvedPoolCacheSize = 2);
        foreach (var tenant in host.Tenants[..5])
        {
            Assert.Equal(200, await host.StatusOfOrdersAsync(tenant));
            Assert.InRange(host.Registry.Caches.Count, 2, 1 + 2);
        }

        var held = host.Held;
        var evicted = host.Tenants[..5].First(t => !held.Contains(t.JwksUri));
        Assert.Equal(1, host.Network.Count(evicted));
        Assert.InRange((int)(await host.CheckAsync()).Data[UserPoolKeysHealthCheck.ResolvedPoolsKey], 1, 2);

        Assert.Equal(200, await host.StatusOfOrdersAsync(evicted));

        Assert.Equal(2, host.Network.Count(evicted));
        Assert.Contains(evicted.JwksUri, host.Held);
        Assert.InRange(host.Registry.Caches.Count, 2, 1 + 2);
    }

    [Fact]
    public async Task Idle_tenant_is_let_go_of_when_its_approval_expires_and_asked_about_again_by_its_next_token()
    {
        await using var host = await ResolvedPoolHost.StartAsync(1);
        var tenant = host.Tenants[0];
        Assert.Equal(200, await host.StatusOfOrdersAsync(tenant));
        Assert.Contains(tenant.JwksUri, host.Held);

        // No token of the tenant for ResolvedPoolLifetime: the refresher's next tick lets go of its keys.
        host.Time.Advance(new UserPoolValidationOptions().ResolvedPoolLifetime + TimeSpan.FromMinutes(1));
        await KeyHost.Until(() => !host.Held.Contains(tenant.JwksUri));
        Assert.Equal([host.Configured.JwksUri], host.Held);

        Assert.Equal(200, await host.StatusOfOrdersAsync(tenant));
        Assert.Equal(2, host.Table.Questions);
        Assert.Equal(2, host.Network.Count(tenant));
    }

    [Fact]
    public async Task Stopping_the_app_gives_back_the_key_caches_of_resolved_and_configured_pools()
    {
        var host = await ResolvedPoolHost.StartAsync(2);
        Assert.Equal(200, await host.StatusOfOrdersAsync(host.Tenants[0]));
        Assert.Equal(200, await host.StatusOfOrdersAsync(host.Tenants[1]));
        var registry = host.Registry;
        Assert.Equal(3, registry.Caches.Count);

        await host.DisposeAsync();

        // The validators held every cache by count (configured pools too, since configuration reload), so none is left.
        Assert.Empty(registry.Caches);
    }
}
