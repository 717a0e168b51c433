using System.Net;
using System.Net.Http.Headers;

namespace TokenVerifier.Testing;

/// <summary>
/// An endpoint answered in memory, synchronously, for an <see cref="HttpClient"/> without a network: what the key
/// endpoints of <see cref="LocalUserPool"/> and <see cref="LocalAlb"/> have in common.
/// </summary>
internal abstract class InMemoryEndpointHandler : HttpMessageHandler
{
    protected sealed override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Send(request, cancellationToken));
    }

    protected abstract override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken);

    protected static HttpResponseMessage Status(HttpRequestMessage request, HttpStatusCode status) => new(status) { RequestMessage = request };

    protected static HttpResponseMessage Body(HttpRequestMessage request, byte[] body, MediaTypeHeaderValue contentType)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new ByteArrayContent(body) };
        response.Content.Headers.ContentType = contentType;
        return response;
    }
}
