using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Sample;

/// <summary>The sample API as shipped, in Development, on its embedded local pool, over the real HTTP pipeline.</summary>
public sealed class SampleFactory : WebApplicationFactory<Program>
{
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
}
