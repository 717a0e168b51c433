using System.Net;

namespace TokenVerifier.Grpc.Tests;

/// <summary>
/// Keeps the HTTP version, status and challenge of the last response the gRPC channel received over a real socket, so a
/// test can see which refusal the server gave (a gRPC status carries no <c>WWW-Authenticate</c>). Changes nothing.
/// </summary>
public sealed class ResponseRecorder : DelegatingHandler
{
    public ResponseRecorder()
        : base(new SocketsHttpHandler())
    {
    }

    public Version? LastVersion { get; private set; }

    public HttpStatusCode? LastStatus { get; private set; }

    public string? LastChallenge { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        LastVersion = response.Version;
        LastStatus = response.StatusCode;
        LastChallenge = response.Headers.WwwAuthenticate.ToString();
        return response;
    }
}
