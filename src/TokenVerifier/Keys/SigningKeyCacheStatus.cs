namespace TokenVerifier.Keys;

/// <summary>A point-in-time view of one key cache, for health checks and diagnostics.</summary>
/// <param name="JwksUri">Where the keys come from.</param>
/// <param name="State">Fresh, stale, expired or missing.</param>
/// <param name="KeyCount">Accepted keys in the current set.</param>
/// <param name="LastRefreshed">When the current set was fetched.</param>
/// <param name="LastFailure">When the last fetch failed, if it did after the last success.</param>
/// <param name="LastError">Why the last fetch failed.</param>
/// <param name="FetchCount">JWKS requests made so far (reads of the set, for a set given in configuration).</param>
public sealed record SigningKeyCacheStatus(
    Uri JwksUri,
    KeySetState State,
    int KeyCount,
    DateTimeOffset? LastRefreshed,
    DateTimeOffset? LastFailure,
    string? LastError,
    long FetchCount)
{
    /// <summary>
    /// For a key set given in configuration (<see cref="UserPoolOptions.Jwks"/>, <see cref="UserPoolOptions.JwksFile"/>): when
    /// it last changed, the file's last write time or the application's start for an inline set. A configured set is not
    /// updated when the pool rotates its keys, so its age tells operators when it was last replaced. Null for a fetched set.
    /// </summary>
    public DateTimeOffset? KeySetDate { get; init; }
}
