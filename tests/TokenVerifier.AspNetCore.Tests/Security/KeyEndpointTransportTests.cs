using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.Keys;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Security;

/// <summary>The JWKS client that <c>AddUserPool</c> registers, over real sockets: no redirects, the platform's proxy honoured.</summary>
public sealed class KeyEndpointTransportTests : IDisposable
{
    private readonly LocalUserPool _pool = new("us-east-1_Transport1");

    public void Dispose() => _pool.Dispose();

    [Fact]
    public async Task A_redirecting_loopback_key_address_is_a_failed_fetch_whose_log_names_the_status()
    {
        await using var server = new LoopbackHttpServer(target => target == "/jwks"
            ? new(302, "", Location: "/elsewhere/jwks")
            : new(200, _pool.GetJwksJson()));
        var logs = new FakeLogCollector();
        await using var services = Services(server.Address + "jwks", logs);

        var cache = services.GetRequiredService<UserPoolValidators>().Get().KeyCaches[0];
        Assert.False(await cache.RefreshAsync());

        Assert.Equal(["/jwks"], server.Targets);
        var status = cache.GetStatus();
        Assert.Equal(KeySetState.Missing, status.State);
        Assert.Equal("HTTP 302, a redirect, which is not followed", status.LastError);
        var failed = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 2002);
        Assert.Contains("HTTP 302", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_are_fetched_through_the_proxy_the_platform_is_configured_with()
    {
        // A host that resolves nowhere: the keys can only arrive through the proxy.
        var jwks = new Uri("http://keys.proxied.test/.well-known/jwks.json");
        await using var proxy = new LoopbackHttpServer(target => target == jwks.ToString()
            ? new(200, _pool.GetJwksJson())
            : new(502, "{}"));
        var previous = HttpClient.DefaultProxy;

        // Only this test's host goes through the proxy, so tests running beside this one are not affected.
        HttpClient.DefaultProxy = new OneHostProxy(proxy.Address, jwks.Host);
        try
        {
            await using var services = Services(_pool.JwksUri.ToString(), new FakeLogCollector());
            var registry = services.GetRequiredService<SigningKeyCacheRegistry>();
            var cache = registry.GetOrAdd(jwks, new UserPoolValidationOptions { AuthenticationType = "UserPool" });
            Assert.True(await cache.RefreshAsync(), cache.GetStatus().LastError);
            Assert.Equal(1, cache.GetStatus().KeyCount);
            Assert.Equal([jwks.ToString()], proxy.Targets);
        }
        finally
        {
            HttpClient.DefaultProxy = previous;
        }
    }

    private static ServiceProvider Services(string jwksUri, FakeLogCollector logs)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(logs)));
        new AuthenticationBuilder(services).AddUserPool(o =>
        {
            o.Validation.UserPoolId = "us-east-1_Transport1";
            o.Validation.ClientIds = ["client"];
            o.Validation.JwksUri = jwksUri;
        });
        return services.BuildServiceProvider();
    }

    private sealed class OneHostProxy(Uri proxy, string host) : IWebProxy
    {
        public ICredentials? Credentials { get; set; }

        public Uri? GetProxy(Uri destination) => IsBypassed(destination) ? null : proxy;

        public bool IsBypassed(Uri destination) => !string.Equals(destination.Host, host, StringComparison.OrdinalIgnoreCase);
    }
}
