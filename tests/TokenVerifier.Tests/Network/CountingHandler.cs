using System.Net;

namespace TokenVerifier.Tests.Network;

/// <summary>
/// Sits in front of the pool's JWKS handler and counts requests; can be switched to fail the way networks fail
/// (500, garbage, a held response) so tests can see what the validator does then.
/// </summary>
internal sealed class CountingHandler : DelegatingHandler
{
    private int _count;

    public CountingHandler(HttpMessageHandler inner)
        : base(inner)
    {
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>When set, answers with this status instead of forwarding.</summary>
    public HttpStatusCode? FailWith { get; set; }

    /// <summary>When set, every request waits for this before it is answered.</summary>
    public TaskCompletionSource? Gate { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (FailWith is { } status)
        {
            return new HttpResponseMessage(status) { Content = new StringContent("<html>error</html>") };
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
