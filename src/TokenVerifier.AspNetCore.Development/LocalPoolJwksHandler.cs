using System.Net;
using System.Net.Http.Headers;
using System.Text;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Development;

/// <summary>
/// Answers the embedded pool's key-set address, and only that exact address (scheme, host and path), from memory; every
/// other request goes on to the network unchanged, so another scheme's pool is never answered with the local keys.
/// </summary>
internal sealed class LocalPoolJwksHandler(LocalUserPool pool) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method != HttpMethod.Get || request.RequestUri != pool.JwksUri)
        {
            return base.SendAsync(request, cancellationToken);
        }

        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(pool.GetJwksJson())),
        };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return Task.FromResult(response);
    }
}
