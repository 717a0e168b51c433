using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.Keys;

namespace TokenVerifier.AspNetCore.Tests.Alb;

/// <summary>
/// The ALB scheme validates the forwarded access token with the bearer schemes' key caches, so it registers them the same
/// way: an app with the ALB scheme alone gets a key client that follows no redirect either.
/// </summary>
public sealed class AlbSharedServicesTests
{
    [Fact]
    public void With_the_ALB_scheme_alone_the_access_tokens_key_client_follows_no_redirects()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAuthentication().AddUserPoolAlb(_ => { });
        using var provider = services.BuildServiceProvider();

        var handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(SigningKeyCacheRegistry.HttpClientName);
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler!;
        }

        var follows = handler switch
        {
            SocketsHttpHandler sockets => sockets.AllowAutoRedirect,
            HttpClientHandler client => client.AllowAutoRedirect,
            _ => throw new InvalidOperationException($"Unexpected primary handler {handler.GetType()}"),
        };
        Assert.False(follows);
        Assert.NotNull(provider.GetService<SigningKeyCacheRegistry>());
    }
}
