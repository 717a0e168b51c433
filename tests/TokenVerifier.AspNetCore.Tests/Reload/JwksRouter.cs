using System.Collections.Concurrent;
using System.Net;
using System.Text;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Reload;

/// <summary>Answers each pool's JWKS request with that pool's keys (by the pool id in the path) and counts every request by pool id.</summary>
internal sealed class JwksRouter : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, LocalUserPool> _pools = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _jwks = new(StringComparer.Ordinal);

    public JwksRouter(IEnumerable<LocalUserPool> pools)
    {
        foreach (var pool in pools)
        {
            _pools[pool.UserPoolId] = pool;
        }
    }

    public int RequestsFor(LocalUserPool pool) => _requests.GetValueOrDefault(pool.UserPoolId);

    public int TotalRequests => _requests.Values.Sum();

    /// <summary>The pool ids a key request was sent for, with how many.</summary>
    public IReadOnlyDictionary<string, int> Requests => new Dictionary<string, int>(_requests, StringComparer.Ordinal);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // /{poolId}/.well-known/jwks.json
        var poolId = request.RequestUri!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[0];
        _requests.AddOrUpdate(poolId, 1, static (_, n) => n + 1);
        if (!_pools.TryGetValue(poolId, out var pool))
        {
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
        }

        var json = _jwks.GetOrAdd(poolId, _ => pool.GetJwksJson());
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
    }
}
