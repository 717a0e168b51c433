using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Realtime;

/// <summary>
/// The sample in Development on a real Kestrel socket on loopback (WebSockets need one: the test server has no upgrade
/// path a client socket can use), every log category captured at Trace, and every token the tests mint remembered so
/// the logs can be searched for them.
/// </summary>
public sealed class KestrelSample : IAsyncLifetime, IDisposable
{
    private readonly Factory _factory = new();

    public FakeLoggerProvider Logs => _factory.Logs;

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _factory.Services;

    public ConcurrentBag<string> MintedTokens { get; } = [];

    public string Mint(Action<LocalTokenOptions>? configure = null)
    {
        var options = new LocalTokenOptions();
        configure?.Invoke(options);
        var token = _factory.Services.GetRequiredService<LocalUserPool>().MintAccessToken(options);
        MintedTokens.Add(token);
        return token;
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    public Task InitializeAsync()
    {
        _factory.UseKestrel(0);
        _factory.StartServer();
        using var client = _factory.CreateClient();
        BaseAddress = client.BaseAddress!;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _factory.Logs.Dispose();
    }

    public void Dispose()
    {
        _factory.Dispose();
        _factory.Logs.Dispose();
    }

    private sealed class Factory : WebApplicationFactory<Program>
    {
        public FakeLoggerProvider Logs { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder) =>
            builder.ConfigureLogging(logging => logging.AddProvider(Logs).AddFilter<FakeLoggerProvider>(null, LogLevel.Trace));
    }
}
