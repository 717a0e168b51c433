using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.AspNetCore.Health;
using TokenVerifier.AspNetCore.Tests.Hosting;
using TokenVerifier.Keys;

namespace TokenVerifier.AspNetCore.Tests.Keys;

/// <summary>
/// An application whose pool's keys come from configuration (bound from a <c>UserPool</c> section as an app's would be),
/// on a fake clock, with a JWKS client that counts every request it is asked to send: a configured pool must send none.
/// </summary>
internal sealed class ConfiguredKeyHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;

    private ConfiguredKeyHost(WebApplication app, FakeTimeProvider time, CountingHandler network)
    {
        _app = app;
        Time = time;
        Network = network;
    }

    public FakeTimeProvider Time { get; }

    /// <summary>The JWKS client's transport: counts requests and answers none.</summary>
    public CountingHandler Network { get; }

    public static WebApplication Build(IDictionary<string, string?> settings, FakeTimeProvider time, CountingHandler network)
    {
        var builder = TestHosts.CreateBuilder(time);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddUserPoolAuth(builder.Configuration);
        builder.Services.AddKeyNetwork(network);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/me", (HttpContext context) => context.User.FindFirst("sub")?.Value).RequireAuthorization();
        return app;
    }

    public static async Task<ConfiguredKeyHost> StartAsync(IDictionary<string, string?> settings)
    {
        var time = new FakeTimeProvider(Start);
        var network = new CountingHandler();
        var app = Build(settings, time, network);
        await app.StartAsync();
        return new ConfiguredKeyHost(app, time, network);
    }

    public async Task<HttpResponseMessage> GetAsync(string token)
    {
        using var client = _app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    public async Task<HealthReportEntry> CheckKeysAsync() =>
        (await _app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries[UserPoolHealthChecksBuilderExtensions.DefaultName];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A transport that must never be used: it counts what it was asked and fails it.</summary>
    public sealed class CountingHandler : HttpMessageHandler
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            throw new HttpRequestException($"No network in this test: a JWKS request was sent to {request.RequestUri}.");
        }
    }
}
