using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace TokenVerifier.Testing;

/// <summary>Serves a <see cref="LocalUserPool"/>'s JWKS to an <see cref="HttpClient"/> without a network.</summary>
internal sealed class JwksEndpointHandler(LocalUserPool pool) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Send(request, cancellationToken));
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();

        // Only the path is compared: an emulator-style issuer override may be reached through any
        // host or scheme, and the pool cannot know which one the code under test will use.
        string? path = request.RequestUri is { IsAbsoluteUri: true } uri ? uri.AbsolutePath : null;
        if (!string.Equals(path, pool.JwksUri.AbsolutePath, StringComparison.Ordinal))
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request };
        }

        if (request.Method != HttpMethod.Get)
        {
            var notAllowed = new HttpResponseMessage(HttpStatusCode.MethodNotAllowed) { RequestMessage = request };
            notAllowed.Content = new ByteArrayContent([]);
            notAllowed.Content.Headers.Allow.Add("GET");
            return notAllowed;
        }

        pool.CountJwksRequest();
        if (pool.JwksFailureStatus is HttpStatusCode failure)
        {
            return new HttpResponseMessage(failure) { RequestMessage = request };
        }

        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(pool.GetJwksJson())),
        };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return response;
    }
}
