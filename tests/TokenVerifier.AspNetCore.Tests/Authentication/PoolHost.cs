using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.AspNetCore.Tests.Hosting;
using TokenVerifier.Keys;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Authentication;

/// <summary>An in-memory app whose JWKS requests are answered by real local pools, routed by path.</summary>
internal sealed class PoolHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PoolHost(WebApplication app) => _app = app;

    public IServiceProvider Services => _app.Services;

    public static async Task<PoolHost> StartAsync(LocalUserPool[] pools, Action<WebApplicationBuilder> configureServices, Action<WebApplication> configureApp)
    {
        var builder = TestHosts.CreateBuilder();
        builder.Services.AddHttpClient(SigningKeyCacheRegistry.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new PoolRouter(pools));
        configureServices(builder);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        configureApp(app);
        await app.StartAsync();
        return new PoolHost(app);
    }

    public async Task<HttpResponseMessage> GetAsync(string path, string? token = null, string scheme = "Bearer")
    {
        using var client = _app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        }

        return await client.SendAsync(request);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
