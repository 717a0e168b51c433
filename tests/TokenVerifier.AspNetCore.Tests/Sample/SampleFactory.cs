using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Sample;

/// <summary>
/// The sample API as shipped, in Development, on its embedded local pool, over the real HTTP pipeline, called from
/// loopback (<see cref="RemoteAddress"/>) as from a terminal on the same machine.
/// </summary>
public sealed class SampleFactory : WebApplicationFactory<Program>
{
    /// <summary>The peer address every request arrives from. Default loopback; null leaves it unknown, as the test server does.</summary>
    public IPAddress? RemoteAddress { get; init; } = IPAddress.Loopback;

    public LocalUserPool Pool => Services.GetRequiredService<LocalUserPool>();

    public HttpClient ClientWith(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient ClientFor(string username = "alice", string[]? groups = null, string[]? scopes = null)
    {
        var options = new LocalTokenOptions { Username = username };
        foreach (var group in groups ?? [])
        {
            options.Groups.Add(group);
        }

        foreach (var scope in scopes ?? [])
        {
            options.Scopes.Add(scope);
        }

        return ClientWith(Pool.MintAccessToken(options));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new RemoteAddressStartupFilter(RemoteAddress)));
}
