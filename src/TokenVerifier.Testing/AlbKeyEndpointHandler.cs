using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace TokenVerifier.Testing;

/// <summary>Serves a <see cref="LocalAlb"/>'s PEM public key at <c>{endpoint}{kid}</c> to an <see cref="HttpClient"/> without a network.</summary>
internal sealed class AlbKeyEndpointHandler(LocalAlb alb) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Send(request, cancellationToken));
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        alb.CountKeyRequest(request.RequestUri!);
        if (alb.KeyFailureStatus is HttpStatusCode failure)
        {
            var failed = new HttpResponseMessage(failure) { RequestMessage = request };
            if ((int)failure is >= 300 and < 400)
            {
                failed.Headers.Location = new Uri(alb.KeyEndpoint, "elsewhere/" + alb.KeyId);
            }

            return failed;
        }

        // The host and path as the verifier builds them: an unescaped kid appended to the endpoint.
        var uri = request.RequestUri!;
        var endpoint = alb.KeyEndpoint;
        var prefix = endpoint.GetLeftPart(UriPartial.Path);
        var asked = uri.GetLeftPart(UriPartial.Path);
        var kid = asked.StartsWith(prefix, StringComparison.Ordinal) && uri.Query.Length == 0 ? asked[prefix.Length..] : null;
        var pem = kid is null || request.Method != HttpMethod.Get ? null : alb.FindPublicKeyPem(kid);
        if (pem is null)
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request };
        }

        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(Encoding.ASCII.GetBytes(pem)),
        };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return response;
    }
}
