using System.Net;
using System.Text;

namespace TokenVerifier.Tests.Network;

/// <summary>Answers every request with one fixed key set, for test vectors that come with their own keys.</summary>
internal sealed class StaticJwksHandler(string keySet) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(keySet, Encoding.UTF8, "application/json") });
}
