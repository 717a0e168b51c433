namespace TokenVerifier.Revocation;

/// <summary>
/// Settings of <see cref="RedisRevocationStore"/> beyond the common <see cref="RevocationStoreOptions"/> (entry lifetimes,
/// local cache, key prefix): how durable a revocation must be before it is acknowledged.
/// </summary>
public sealed class RedisRevocationOptions
{
    /// <summary>
    /// How many replicas must confirm a revocation (Redis <c>WAIT</c>) before it is acknowledged; when fewer confirm within
    /// <see cref="ReplicaTimeout"/> the revocation throws, so the caller (a sign-out endpoint) answers 503 and the client
    /// retries. Default 0, for a single Redis with AOF persistence; set it to 1 or more with replicas behind Sentinel or in
    /// a Cluster, so an acknowledged revocation survives the loss of the primary.
    /// </summary>
    public int MinReplicas { get; set; }

    /// <summary>
    /// How long a revocation waits for <see cref="MinReplicas"/> confirmations. Default 500 ms, at most 30 s. The
    /// connection that writes and waits allows this on top of the configured command timeout (<c>asyncTimeout</c>).
    /// </summary>
    public TimeSpan ReplicaTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Checks the options; returns one clear message per problem (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MinReplicas < 0)
        {
            errors.Add("Revocation:MinReplicas must not be negative.");
        }

        if (ReplicaTimeout <= TimeSpan.Zero || ReplicaTimeout > TimeSpan.FromSeconds(30))
        {
            errors.Add("Revocation:ReplicaTimeout must be positive and at most 30 seconds.");
        }

        return errors;
    }
}
