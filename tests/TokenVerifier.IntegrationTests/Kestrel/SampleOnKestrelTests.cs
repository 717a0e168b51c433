using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.Testing;

namespace TokenVerifier.IntegrationTests.Kestrel;

/// <summary>The sample on a real Kestrel socket on loopback: what a deployed API sees, including header parsing by a real server.</summary>
public sealed class SampleOnKestrelTests : IAsyncLifetime, IDisposable
{
    private readonly WebApplicationFactory<Program> _factory = new();

    public Task InitializeAsync()
    {
        _factory.UseKestrel(0);
        _factory.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Tokens_are_verified_over_a_real_socket()
    {
        using var client = _factory.CreateClient();
        Assert.StartsWith("http://127.0.0.1:", client.BaseAddress!.ToString(), StringComparison.Ordinal);
        var pool = _factory.Services.GetRequiredService<LocalUserPool>();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/me", UriKind.Relative))).StatusCode);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", pool.MintAccessToken());
        var response = await client.GetAsync(new Uri("/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"name\":\"alice\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", LocalUserPool.TamperSignature(pool.MintAccessToken()));
        response = await client.GetAsync(new Uri("/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token's signature is invalid.\"", response.Headers.WwwAuthenticate.ToString());
    }
}
