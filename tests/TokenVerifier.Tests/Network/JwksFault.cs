namespace TokenVerifier.Tests.Network;

/// <summary>The ways a JWKS endpoint (or the road to it) fails, as <see cref="FaultHandler"/> plays them.</summary>
public enum JwksFault
{
    None,

    /// <summary>No response at all: the request hangs until the caller's time limit cancels it.</summary>
    Timeout,

    /// <summary>Nothing listens: the error a socket handler raises for a refused connection.</summary>
    ConnectionRefused,

    /// <summary>HTTP 500 with an HTML error page.</summary>
    ServerError,

    /// <summary>HTTP 429 with a Retry-After header.</summary>
    TooManyRequests,

    /// <summary>HTTP 200 with a captive-portal style HTML page.</summary>
    Html,

    /// <summary>HTTP 200 with JSON cut off in the middle.</summary>
    InvalidJson,

    /// <summary>HTTP 200 with <c>{"keys":[]}</c>.</summary>
    EmptyKeys,

    /// <summary>HTTP 200 with a 10 MB body announced by Content-Length.</summary>
    HugeBody,

    /// <summary>HTTP 200 with a 10 MB body and no Content-Length (chunked): only reading can notice.</summary>
    HugeBodyUnannounced,

    /// <summary>HTTP 200 with the real key set, one byte every 500 ms.</summary>
    SlowDrip,

    /// <summary>A handler in the pipeline (a resilience strategy, a proxy library) throws an exception that is not an HTTP one.</summary>
    UnexpectedException,
}
