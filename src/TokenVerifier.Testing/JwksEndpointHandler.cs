using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace TokenVerifier.Testing;

/// <summary>Serves a <see cref="LocalUserPool"/>'s JWKS to an <see cref="HttpClient"/> without a network.</summary>
internal sealed class JwksEndpointHandler(LocalUserPool pool) : InMemoryEndpointHandler
{
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();

        // Only the path is compared: an emulator-style issuer override may be reached through any
        // host or scheme, and the pool cannot know which one the code under test will use.
        string? path = request.RequestUri is { IsAbsoluteUri: true } uri ? uri.AbsolutePath : null;
        if (!string.Equals(path, pool.JwksUri.AbsolutePath, StringComparison.Ordinal))
        {
            return Status(request, HttpStatusCode.NotFound);
        }

        if (request.Method != HttpMethod.Get)
        {
            var notAllowed = Status(request, HttpStatusCode.MethodNotAllowed);
            notAllowed.Content = new ByteArrayContent([]);
            notAllowed.Content.Headers.Allow.Add("GET");
            return notAllowed;
        }

        pool.CountJwksRequest();
        return pool.JwksFailureStatus is HttpStatusCode failure
            ? Status(request, failure)
            : Body(request, Encoding.UTF8.GetBytes(pool.GetJwksJson()), new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" });
    }
}
