using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace TokenVerifier.Tests.Network;

/// <summary>
/// Sits between the key cache and a real JWKS handler and fails the way networks and servers fail. Time-based faults run
/// on the given clock, so a test decides when a time limit passes. Records every address requested.
/// </summary>
internal sealed class FaultHandler : DelegatingHandler
{
    public const int HugeBodyBytes = 10 * 1024 * 1024;

    private static readonly TimeSpan DripInterval = TimeSpan.FromMilliseconds(500);

    private readonly TimeProvider _time;
    private readonly List<Uri> _requested = [];
    private long _bytesServed;

    public FaultHandler(HttpMessageHandler inner, TimeProvider time)
        : base(inner)
    {
        _time = time;
    }

    public JwksFault Fault { get; set; }

    /// <summary>When set, the real key set is passed through this before it is served.</summary>
    public Func<string, string>? RewriteKeySet { get; set; }

    /// <summary>Bytes of faulty bodies handed to the reader so far.</summary>
    public long BytesServed => Interlocked.Read(ref _bytesServed);

    public IReadOnlyList<Uri> Requested
    {
        get
        {
            lock (_requested)
            {
                return [.. _requested];
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_requested)
        {
            _requested.Add(request.RequestUri!);
        }

        switch (Fault)
        {
            case JwksFault.Timeout:
                await Task.Delay(Timeout.InfiniteTimeSpan, _time, cancellationToken);
                throw new InvalidOperationException("unreachable");
            case JwksFault.ConnectionRefused:
                // What SocketsHttpHandler raises when nothing listens on the port.
                throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (cognito-idp.us-east-1.amazonaws.com:443)", new SocketException((int)SocketError.ConnectionRefused));
            case JwksFault.ServerError:
                return Text(HttpStatusCode.InternalServerError, "<html><body>Internal Server Error</body></html>", "text/html");
            case JwksFault.TooManyRequests:
                var throttled = Text(HttpStatusCode.TooManyRequests, "{\"message\":\"Rate exceeded\"}", "application/json");
                throttled.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(60));
                return throttled;
            case JwksFault.Html:
                return Text(HttpStatusCode.OK, "<!DOCTYPE html><html><head><title>Sign in to the Wi-Fi</title></head><body></body></html>", "text/html");
            case JwksFault.InvalidJson:
                return Text(HttpStatusCode.OK, "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"", "application/json");
            case JwksFault.EmptyKeys:
                return Text(HttpStatusCode.OK, "{\"keys\":[]}", "application/json");
            case JwksFault.HugeBody:
            case JwksFault.HugeBodyUnannounced:
                var huge = new StreamContent(new GeneratedStream(HugeBodyBytes, n => Interlocked.Add(ref _bytesServed, n)));
                huge.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                if (Fault == JwksFault.HugeBody)
                {
                    huge.Headers.ContentLength = HugeBodyBytes;
                }

                return new HttpResponseMessage(HttpStatusCode.OK) { Content = huge, RequestMessage = request };
            case JwksFault.SlowDrip:
                var body = Encoding.UTF8.GetBytes(await ReadKeySetAsync(request, cancellationToken));
                var drip = new StreamContent(new DripStream(body, DripInterval, _time, n => Interlocked.Add(ref _bytesServed, n)));
                drip.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = drip, RequestMessage = request };
            case JwksFault.UnexpectedException:
                throw new BrokenCircuitException("The circuit is now open and is not allowing calls.");
            default:
                if (RewriteKeySet is null)
                {
                    return await base.SendAsync(request, cancellationToken);
                }

                return Text(HttpStatusCode.OK, RewriteKeySet(await ReadKeySetAsync(request, cancellationToken)), "application/json");
        }
    }

    private static HttpResponseMessage Text(HttpStatusCode status, string body, string mediaType) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    private async Task<string> ReadKeySetAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var real = await base.SendAsync(request, cancellationToken);
        return await real.Content.ReadAsStringAsync(cancellationToken);
    }
}
