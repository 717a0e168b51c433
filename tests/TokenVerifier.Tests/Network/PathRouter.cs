namespace TokenVerifier.Tests.Network;

/// <summary>Sends each request to the handler registered for its path: several pools' JWKS endpoints behind one client.</summary>
internal sealed class PathRouter : HttpMessageHandler
{
    private readonly Dictionary<string, HttpMessageInvoker> _routes;

    public PathRouter(IEnumerable<(Uri Address, HttpMessageHandler Handler)> routes)
    {
        _routes = routes.ToDictionary(r => r.Address.AbsolutePath, r => new HttpMessageInvoker(r.Handler), StringComparer.Ordinal);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _routes[request.RequestUri!.AbsolutePath].SendAsync(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var route in _routes.Values)
            {
                route.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
