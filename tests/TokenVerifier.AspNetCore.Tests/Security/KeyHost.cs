using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.AspNetCore.Health;
using TokenVerifier.AspNetCore.Tests.Hosting;
using TokenVerifier.Keys;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Security;

/// <summary>
/// An application with two user pools, the key health check on <c>/health</c> and a fake clock: the hosted services
/// (warm-up, background refresh) run for real, on that clock.
/// </summary>
internal sealed class KeyHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;

    private KeyHost(WebApplication app, FakeTimeProvider time, LocalUserPool a, LocalUserPool b, PoolNetwork network)
    {
        _app = app;
        Time = time;
        A = a;
        B = b;
        Network = network;
        Client = app.GetTestClient();
    }

    public FakeTimeProvider Time { get; }

    public LocalUserPool A { get; }

    public LocalUserPool B { get; }

    public PoolNetwork Network { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<KeyHost> StartAsync(Action<UserPoolValidationOptions>? configure = null, bool poolADownFromStart = false)
    {
        var time = new FakeTimeProvider(Start);
        var a = new LocalUserPool("us-east-1_KeysA1", timeProvider: time);
        var b = new LocalUserPool("eu-west-1_KeysB1", timeProvider: time);
        var network = new PoolNetwork(a, b);
        network.Fail(a, poolADownFromStart);

        var builder = TestHosts.CreateBuilder(time);
        builder.Services.AddUserPoolAuth(o =>
        {
            o.Validation.UserPoolId = a.UserPoolId;
            o.Validation.ClientIds = [a.DefaultClientId];
            o.Validation.Pools.Add(new UserPoolOptions { UserPoolId = b.UserPoolId, ClientIds = [b.DefaultClientId] });
            configure?.Invoke(o.Validation);
        });
        builder.Services.AddKeyNetwork(network);

        var app = builder.Build();
        app.MapHealthChecks("/health");
        await app.StartAsync();
        return new KeyHost(app, time, a, b, network);
    }

    public async Task<HealthReport> CheckAsync() => await Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

    public static SigningKeyCacheStatus Status(HealthReport report, LocalUserPool pool) =>
        (SigningKeyCacheStatus)report.Entries[UserPoolHealthChecksBuilderExtensions.DefaultName].Data[pool.JwksUri.ToString()];

    public UserPoolValidators Validators => Services.GetRequiredService<UserPoolValidators>();

    // Background work runs on other threads; wait for its effect, bounded in real time.
    public static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(2);
        }

        Assert.True(condition());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        A.Dispose();
        B.Dispose();
    }
}
