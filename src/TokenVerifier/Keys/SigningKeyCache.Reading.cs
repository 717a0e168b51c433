namespace TokenVerifier.Keys;

public sealed partial class SigningKeyCache
{
    private long _documentsRead;
    private ReadDocument? _read;

    /// <summary>How many fetched documents were read (parsed, vetted, their keys imported); a document unchanged since the
    /// last one read is not read again.</summary>
    internal long DocumentsRead => Interlocked.Read(ref _documentsRead);

    // Fetches run one at a time (JoinOrStartRefresh), so _read needs no lock.
    private SigningKeySet ReadKeySet(string json, SigningKeySet? previous, DateTimeOffset? publishedAt)
    {
        // Under a flood of forged kids the set is fetched every few seconds and is almost always the document read last
        // time. Reading it again (JSON, vetting, key import) is then the refresh's whole cost beyond the request, paid on the
        // cores that serve requests, in code run too rarely for the runtime to optimise it.
        if (_read is { } read && previous is not null && ReferenceEquals(read.Set, previous) && string.Equals(read.Json, json, StringComparison.Ordinal))
        {
            foreach (var reason in read.Rejected)
            {
                KeyCacheLog.KeyRejected(_logger, JwksUri, reason);
            }

            var again = previous.FetchedAgain(_time.GetUtcNow(), publishedAt);
            _read = read with { Set = again };
            return again;
        }

        var rejected = new List<string>();
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        var keys = JwksKeyReader.Read(json, rejected, refused);
        Interlocked.Increment(ref _documentsRead);
        foreach (var reason in rejected)
        {
            KeyCacheLog.KeyRejected(_logger, JwksUri, reason);
        }

        if (keys.Count == 0)
        {
            throw new FormatException("the key set has no usable RS256 signing key");
        }

        var set = SigningKeySet.Following(previous, keys, _time.GetUtcNow(), refused, publishedAt);
        _read = new ReadDocument(json, [.. rejected], set);
        return set;
    }

    /// <summary>A document read, what its reading refused (for the log), and the set it gave, which it still gives while unchanged.</summary>
    private sealed record ReadDocument(string Json, string[] Rejected, SigningKeySet Set);
}
