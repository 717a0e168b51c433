using System.Collections.Concurrent;
using System.Net;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Security;

/// <summary>The JWKS endpoints of several local pools behind one handler; each can be switched to fail, and requests are counted per pool.</summary>
internal sealed class PoolNetwork : HttpMessageHandler
{
    private readonly Dictionary<string, HttpMessageInvoker> _pools;
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _failing = new(StringComparer.Ordinal);

    public PoolNetwork(params LocalUserPool[] pools)
    {
        _pools = pools.ToDictionary(p => p.JwksUri.AbsolutePath, p => new HttpMessageInvoker(p.CreateJwksHandler()), StringComparer.Ordinal);
    }

    public int Count(LocalUserPool pool) => _counts.GetValueOrDefault(pool.JwksUri.AbsolutePath);

    public void Fail(LocalUserPool pool, bool failing) => _failing[pool.JwksUri.AbsolutePath] = failing;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        _counts.AddOrUpdate(path, 1, (_, n) => n + 1);
        return _failing.GetValueOrDefault(path)
            ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError) { RequestMessage = request })
            : _pools[path].SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var pool in _pools.Values)
            {
                pool.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
