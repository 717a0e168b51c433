using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace TokenVerifier.Testing;

/// <summary>Serves a <see cref="LocalAlb"/>'s PEM public key at <c>{endpoint}{kid}</c> to an <see cref="HttpClient"/> without a network.</summary>
internal sealed class AlbKeyEndpointHandler(LocalAlb alb) : InMemoryEndpointHandler
{
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        alb.CountKeyRequest(request.RequestUri!);
        if (alb.KeyFailureStatus is HttpStatusCode failure)
        {
            var failed = Status(request, failure);
            if ((int)failure is >= 300 and < 400)
            {
                failed.Headers.Location = new Uri(alb.KeyEndpoint, "elsewhere/" + alb.KeyId);
            }

            return failed;
        }

        // The host and path as the verifier builds them: an unescaped kid appended to the endpoint.
        var uri = request.RequestUri!;
        var prefix = alb.KeyEndpoint.GetLeftPart(UriPartial.Path);
        var asked = uri.GetLeftPart(UriPartial.Path);
        var kid = asked.StartsWith(prefix, StringComparison.Ordinal) && uri.Query.Length == 0 ? asked[prefix.Length..] : null;
        var pem = kid is null || request.Method != HttpMethod.Get ? null : alb.FindPublicKeyPem(kid);
        return pem is null
            ? Status(request, HttpStatusCode.NotFound)
            : Body(request, Encoding.ASCII.GetBytes(pem), new MediaTypeHeaderValue("application/octet-stream"));
    }
}
