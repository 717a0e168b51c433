namespace TokenVerifier.Keys;

/// <summary>What one JWKS request gave: the document's text, or why there is none.</summary>
internal sealed class JwksDownload
{
    private JwksDownload(string? json, string? error)
    {
        Json = json;
        Error = error;
    }

    /// <summary>The response body, when the request succeeded.</summary>
    public string? Json { get; }

    /// <summary>Why the request failed, short and safe to log; null when it succeeded.</summary>
    public string? Error { get; }

    public static JwksDownload Succeeded(string json) => new(json, null);

    public static JwksDownload Failed(string error) => new(null, error);
}
