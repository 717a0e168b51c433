namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>The primary handler of the JWKS client: the platform's default, with automatic redirects turned off.</summary>
internal static class JwksPrimaryHandler
{
    public static void RefuseRedirects(HttpMessageHandler handler)
    {
        // A 3xx then reaches the key cache as a failed fetch naming the status. A handler of another type was set by the
        // application; the key cache still refuses keys answered from another address than the configured one.
        switch (handler)
        {
            case SocketsHttpHandler sockets:
                sockets.AllowAutoRedirect = false;
                break;
            case HttpClientHandler client:
                client.AllowAutoRedirect = false;
                break;
        }
    }
}
