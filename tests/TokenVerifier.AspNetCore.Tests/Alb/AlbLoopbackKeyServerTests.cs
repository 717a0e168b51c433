using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Alb;

/// <summary>
/// The scheme's own named client (not a test handler) against a real key server on loopback Kestrel: keys come over
/// real HTTP, and a redirect is not followed.
/// </summary>
public sealed class AlbLoopbackKeyServerTests : IAsyncLifetime, IDisposable
{
    private readonly LocalUserPool _pool = new();
    private readonly LocalAlb _alb;
    private WebApplication? _keyServer;
    private int _redirectTargetHits;
    private string _baseAddress = "";

    public AlbLoopbackKeyServerTests()
    {
        _alb = new LocalAlb(_pool);
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        _keyServer = builder.Build();
        _keyServer.MapGet("/keys/{kid}", (string kid) => kid == _alb.KeyId ? Results.Text(_alb.GetPublicKeyPem()) : Results.NotFound());
        _keyServer.MapGet("/moved/{kid}", (string kid) => Results.Redirect($"/real/{kid}"));
        _keyServer.MapGet("/real/{kid}", (string kid) =>
        {
            Interlocked.Increment(ref _redirectTargetHits);
            return Results.Text(_alb.GetPublicKeyPem());
        });
        await _keyServer.StartAsync();
        _baseAddress = _keyServer.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    public async Task DisposeAsync()
    {
        if (_keyServer is not null)
        {
            await _keyServer.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _alb.Dispose();
        _pool.Dispose();
    }

    [Fact]
    public async Task The_key_is_fetched_over_real_HTTP()
    {
        await using var host = await AlbHost.StartAsync(_pool, _alb, o => { o.PublicKeyEndpoint = _baseAddress + "/keys/"; o.ValidateAccessToken = false; }, routeKeys: false);

        using var response = await host.GetAsync("/alb/me", _alb.MintData(), identity: "alb-user");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_redirect_from_the_key_endpoint_is_not_followed()
    {
        await using var host = await AlbHost.StartAsync(_pool, _alb, o => { o.PublicKeyEndpoint = _baseAddress + "/moved/"; o.ValidateAccessToken = false; }, routeKeys: false);

        using var response = await host.GetAsync("/alb/me", _alb.MintData(), identity: "alb-user");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("KeysUnavailable/None", response.Headers.GetValues(AlbHost.FailureHeader).Single());
        Assert.Equal(0, Volatile.Read(ref _redirectTargetHits));
    }
}
