using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Testing;

/// <summary>
/// The test kit's factory wiring against the sample as shipped: the app's own pool settings are replaced for every
/// scheme or exactly one, keys come from the local pool in process, and the app's own rules still apply.
/// </summary>
public sealed class WithLocalUserPoolTests : IDisposable
{
    private readonly LocalUserPool _pool = new("us-east-1_KitTest1");
    private readonly LocalUserPool _stranger = new("us-east-1_Stranger1");

    public void Dispose()
    {
        _pool.Dispose();
        _stranger.Dispose();
    }

    // The sample configured for a real pool in Production plus an ID-token scheme: nothing local is wired by the app.
    private static WebApplicationFactory<Program> ProductionSample() => new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
    {
        host.UseEnvironment("Production");
        host.UseSetting("UserPool:UserPoolId", "eu-west-1_RealPool9");
        host.UseSetting("UserPool:ClientIds:0", "realclient000000000000000");
        host.UseSetting("UserPoolIdTokens:UserPoolId", "eu-west-1_RealPool9");
        host.UseSetting("UserPoolIdTokens:ClientIds:0", "realclient000000000000000");
        host.UseSetting("UserPoolIdTokens:TokenUse:0", "id");
    });

    private static async Task<HttpStatusCode> GetAsync(WebApplicationFactory<Program> factory, string path, string token)
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    [Fact]
    public async Task Every_user_pool_scheme_trusts_the_local_pool_and_nothing_else()
    {
        using var factory = ProductionSample().WithLocalUserPool(_pool);

        Assert.Equal(HttpStatusCode.OK, await GetAsync(factory, "/me", _pool.MintAccessToken()));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(factory, "/profile", _pool.MintIdToken()));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(factory, "/me", _stranger.MintAccessToken()));
        Assert.True(_pool.JwksRequestCount > 0, "the keys were not fetched from the local pool");
    }

    [Fact]
    public async Task The_app_keeps_its_own_rules()
    {
        using var factory = ProductionSample().WithLocalUserPool(_pool);

        // The default scheme still takes access tokens only, and the configured policy still needs its scope.
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(factory, "/me", _pool.MintIdToken()));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(factory, "/orders", _pool.MintAccessToken()));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(factory, "/me", _pool.MintAccessToken(new LocalTokenOptions { ClientId = "another-app-client" })));
    }

    [Fact]
    public async Task A_named_scheme_alone_can_be_pointed_at_the_pool()
    {
        using var factory = ProductionSample().WithLocalUserPool(_pool, "IdTokens");

        Assert.Equal(HttpStatusCode.OK, await GetAsync(factory, "/profile", _pool.MintIdToken()));

        var monitor = factory.Services.GetRequiredService<IOptionsMonitor<UserPoolAuthenticationOptions>>();
        Assert.Equal("eu-west-1_RealPool9", monitor.Get(UserPoolAuthenticationDefaults.AuthenticationScheme).Validation.UserPoolId);
        Assert.Equal(_pool.UserPoolId, monitor.Get("IdTokens").Validation.UserPoolId);
        Assert.Equal([_pool.DefaultClientId], monitor.Get("IdTokens").Validation.ClientIds);
    }

    [Theory]
    [InlineData("Development", false)]   // the sample's embedded pool gives its keys as a configured set
    [InlineData("Production", true)]     // the app's own configured set (UserPool:Jwks, as user-pool-jwts writes it)
    public async Task A_key_set_the_app_configures_gives_way_to_the_local_pool(string environment, bool configuredSet)
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment(environment);
            if (configuredSet)
            {
                host.UseSetting("UserPool:UserPoolId", _stranger.UserPoolId);
                host.UseSetting("UserPool:ClientIds:0", _stranger.DefaultClientId);
                host.UseSetting("UserPool:Jwks", _stranger.GetJwksJson());
            }
        }).WithLocalUserPool(_pool);

        Assert.Equal(HttpStatusCode.OK, await GetAsync(factory, "/me", _pool.MintAccessToken()));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(factory, "/me", _stranger.MintAccessToken()));
        Assert.True(_pool.JwksRequestCount > 0, "the keys were not fetched from the local pool");
    }

    [Fact]
    public void Arguments_are_checked()
    {
        using var factory = new WebApplicationFactory<Program>();

        Assert.Throws<ArgumentNullException>(() => factory.WithLocalUserPool(null!));
        Assert.Throws<ArgumentException>(() => factory.WithLocalUserPool(_pool, " "));
    }
}
