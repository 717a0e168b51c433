using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.AspNetCore.Tests.Hosting;
using TokenVerifier.Keys;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Reload;

/// <summary>
/// An app bound from a <c>UserPool</c> section whose content the test replaces (a reload, as a rewritten appsettings.json
/// signals one), with its pools' keys served by a counting <see cref="JwksRouter"/> and its logs collected.
/// </summary>
internal sealed class ReloadHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _client;
    private readonly Uri? _address;

    private ReloadHost(WebApplication app, Uri? address, ReplaceableConfiguration configuration, JwksRouter keys, FakeLogCollector logs)
    {
        _app = app;
        _address = address;
        _client = CreateClient();
        Configuration = configuration;
        Keys = keys;
        Logs = logs;
    }

    public ReplaceableConfiguration Configuration { get; }

    public JwksRouter Keys { get; }

    public FakeLogCollector Logs { get; }

    public IServiceProvider Services => _app.Services;

    public UserPoolValidators Validators => _app.Services.GetRequiredService<UserPoolValidators>();

    public SigningKeyCacheRegistry KeyCaches => _app.Services.GetRequiredService<SigningKeyCacheRegistry>();

    /// <summary>Starts the app on the test server, or with <paramref name="kestrel"/> on a loopback socket.</summary>
    /// <param name="moreSources">Configuration sources added after the replaceable one (a JSON file), whose settings win.</param>
    public static async Task<ReloadHost> StartAsync(JwksRouter keys, IDictionary<string, string?> settings, TimeProvider time, Action<IServiceCollection>? services = null, bool kestrel = false, Action<IConfigurationBuilder>? moreSources = null)
    {
        var builder = WebApplication.CreateBuilder();
        if (kestrel)
        {
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Logging.ClearProviders();
        var logs = new FakeLogCollector();
        builder.Logging.AddProvider(new FakeLoggerProvider(logs));
        var configuration = new ReplaceableConfiguration(settings);
        builder.Configuration.Sources.Clear();
        ((IConfigurationBuilder)builder.Configuration).Add(configuration);
        moreSources?.Invoke(builder.Configuration);
        builder.Services.AddSingleton(time);
        services?.Invoke(builder.Services);
        builder.Services.AddUserPoolAuth(builder.Configuration);
        builder.Services.AddKeyNetwork(keys);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/me", (HttpContext context) => context.User.FindFirst("sub")?.Value).RequireAuthorization();
        app.MapGet("/admins", () => "admins").RequireAuthorization("admins");
        await app.StartAsync();
        var address = kestrel ? new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) : null;
        return new ReloadHost(app, address, configuration, keys, logs);
    }

    /// <summary>Settings trusting <paramref name="pools"/> (each with its default client), plus <paramref name="more"/>.</summary>
    public static Dictionary<string, string?> Trusting(IEnumerable<LocalUserPool> pools, params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        foreach (var pool in pools)
        {
            settings[$"UserPool:Pools:{i}:UserPoolId"] = pool.UserPoolId;
            settings[$"UserPool:Pools:{i}:ClientIds:0"] = pool.DefaultClientId;
            i++;
        }

        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Another client of the same app (on Kestrel, its own connections).</summary>
    public HttpClient CreateClient() => _address is null ? _app.GetTestClient() : new HttpClient { BaseAddress = _address };

    public async Task<HttpResponseMessage> GetAsync(string token, string path = "/me")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _client.SendAsync(request);
    }

    public async Task<int> StatusAsync(string token, string path = "/me")
    {
        using var response = await GetAsync(token, path);
        return (int)response.StatusCode;
    }

    public async Task<HealthReportEntry> CheckHealthAsync() =>
        (await _app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries[UserPoolHealthChecksBuilderExtensions.DefaultName];

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
