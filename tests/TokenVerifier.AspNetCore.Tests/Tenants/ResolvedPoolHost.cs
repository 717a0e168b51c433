using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.AspNetCore.Health;
using TokenVerifier.AspNetCore.Tests.Hosting;
using TokenVerifier.AspNetCore.Tests.Security;
using TokenVerifier.Keys;
using TokenVerifier.Tenants;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Tenants;

/// <summary>
/// An application with one configured pool, a registered resolver approving the tenants in its table, the key health
/// check on <c>/health</c> and a fake clock: warm-up and background refresh run for real, on that clock.
/// </summary>
internal sealed class ResolvedPoolHost : IAsyncDisposable
{
    // One real key signs for every pool (each under its own kid): a dozen key generations per test would cost seconds.
    private static readonly RSA SharedKey = RSA.Create(2048);

    private readonly WebApplication _app;

    private ResolvedPoolHost(WebApplication app, FakeTimeProvider time, LocalUserPool configured, LocalUserPool[] tenants, PoolNetwork network, TenantTable table)
    {
        _app = app;
        Time = time;
        Configured = configured;
        Tenants = tenants;
        Network = network;
        Table = table;
        Client = app.GetTestClient();
    }

    public FakeTimeProvider Time { get; }

    public LocalUserPool Configured { get; }

    public LocalUserPool[] Tenants { get; }

    public PoolNetwork Network { get; }

    public TenantTable Table { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public SigningKeyCacheRegistry Registry => Services.GetRequiredService<SigningKeyCacheRegistry>();

    /// <summary>The JWKS addresses the registry holds now.</summary>
    public HashSet<Uri> Held => [.. Registry.Caches.Select(c => c.JwksUri)];

    /// <summary>Starts the app with <paramref name="tenantCount"/> tenant pools, all approved, plus one pool the resolver refuses (<see cref="Tenants"/>' last).</summary>
    public static async Task<ResolvedPoolHost> StartAsync(int tenantCount, Action<UserPoolValidationOptions>? configure = null)
    {
        var time = new FakeTimeProvider(KeyHost.Start);
        var configured = new LocalUserPool("us-east-1_Configured1", SharedKey, "configured-key", timeProvider: time);
        var tenants = Enumerable.Range(0, tenantCount + 1)
            .Select(i => new LocalUserPool(i == tenantCount ? "eu-west-1_Refused1" : $"eu-west-1_Tenant{i}", SharedKey, $"tenant-key-{i}", timeProvider: time))
            .ToArray();
        var network = new PoolNetwork([configured, .. tenants]);
        var table = new TenantTable();
        foreach (var tenant in tenants[..tenantCount])
        {
            table.Approved[tenant.UserPoolId] = tenant.DefaultClientId;
        }

        var builder = TestHosts.CreateBuilder(time);
        builder.Services.AddSingleton(table);
        builder.Services.AddUserPoolResolver<TableResolver>();
        builder.Services.AddUserPoolAuth(o =>
        {
            o.Validation.UserPoolId = configured.UserPoolId;
            o.Validation.ClientIds = [configured.DefaultClientId];
            configure?.Invoke(o.Validation);
        });
        builder.Services.AddKeyNetwork(network);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/orders", () => "ok").RequireAuthorization();
        app.MapHealthChecks("/health");
        await app.StartAsync();
        return new ResolvedPoolHost(app, time, configured, tenants, network, table);
    }

    public async Task<HttpResponseMessage> GetOrdersAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Client.SendAsync(request);
    }

    public async Task<int> StatusOfOrdersAsync(LocalUserPool pool)
    {
        using var response = await GetOrdersAsync(pool.MintAccessToken());
        return (int)response.StatusCode;
    }

    public async Task<HealthReportEntry> CheckAsync() =>
        (await Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries[UserPoolHealthChecksBuilderExtensions.DefaultName];

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Configured.Dispose();
        foreach (var tenant in Tenants)
        {
            tenant.Dispose();
        }
    }

    /// <summary>The application's tenants: pool id to app client id.</summary>
    internal sealed class TenantTable
    {
        public ConcurrentDictionary<string, string> Approved { get; } = new(StringComparer.Ordinal);

        private int _questions;

        public int Questions => Volatile.Read(ref _questions);

        public void Ask() => Interlocked.Increment(ref _questions);
    }

    private sealed class TableResolver(TenantTable table) : IUserPoolResolver
    {
        public ValueTask<UserPoolOptions?> ResolveAsync(string userPoolId, CancellationToken cancellationToken)
        {
            table.Ask();
            return new(table.Approved.TryGetValue(userPoolId, out var client)
                ? new UserPoolOptions { UserPoolId = userPoolId, ClientIds = [client] }
                : null);
        }
    }
}
