namespace TokenVerifier.Revocation;

/// <summary>
/// A store that keeps its revocations in a server shared by every instance: what the health check and the start-up warm-up
/// ask it, past its local cache.
/// </summary>
internal interface ISharedRevocationStore
{
    /// <summary>Why the store works with reduced guarantees although the server answers (such as a lost invalidation channel); null when it does not.</summary>
    string? DegradedReason { get; }

    /// <summary>One round trip to the shared server that no local answer can satisfy; throws when the server cannot be reached.</summary>
    Task ProbeAsync(CancellationToken cancellationToken);
}
