using System.Net;

namespace TokenVerifier.AspNetCore.Tests.Security;

/// <summary>A key endpoint that answers every request with one status and no keys.</summary>
internal sealed class StatusHandler(HttpStatusCode status) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request });
}
