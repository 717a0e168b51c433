using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Authentication;

/// <summary>The JWKS client's network for apps trusting several local pools: each request goes to the pool whose key address has its path.</summary>
internal sealed class PoolRouter(LocalUserPool[] pools) : HttpMessageHandler
{
    private readonly HttpMessageInvoker[] _handlers = pools.Select(p => new HttpMessageInvoker(p.CreateJwksHandler())).ToArray();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (var i = 0; i < pools.Length; i++)
        {
            if (request.RequestUri!.AbsolutePath == pools[i].JwksUri.AbsolutePath)
            {
                return _handlers[i].SendAsync(request, cancellationToken);
            }
        }

        return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.NotFound));
    }
}
