namespace TokenVerifier.Keys;

/// <summary>What one JWKS request gave: the document's text, or why there is none.</summary>
internal sealed class JwksDownload
{
    private JwksDownload(string? json, string? error, TimeSpan? retryAfter, DateTimeOffset? publishedAt = null)
    {
        Json = json;
        PublishedAt = publishedAt;
        Error = error;
        RetryAfter = retryAfter;
    }

    /// <summary>The response body, when the request succeeded.</summary>
    public string? Json { get; }

    /// <summary>Why the request failed, short and safe to log; null when it succeeded.</summary>
    public string? Error { get; }

    /// <summary>How long the server asked us to wait (<c>Retry-After</c> on a 429 or 503), if it did.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>For a key set given in configuration: when it last changed (the file's write time, or the application's start).</summary>
    public DateTimeOffset? PublishedAt { get; }

    public static JwksDownload Succeeded(string json, DateTimeOffset? publishedAt = null) => new(json, null, null, publishedAt);

    public static JwksDownload Failed(string error, TimeSpan? retryAfter = null) => new(null, error, retryAfter);
}
