namespace TokenVerifier.Keys;

/// <summary>Where a <see cref="SigningKeyCache"/> gets its JWKS document: the pool's endpoint, or the application's configuration.</summary>
internal interface IJwksSource
{
    /// <summary>The address the cache is known by (an https URL, a file URL, or a name for an inline set).</summary>
    Uri Address { get; }

    /// <summary>Reads the document; failures come back as a reason, never as an exception.</summary>
    Task<JwksDownload> DownloadAsync();
}
