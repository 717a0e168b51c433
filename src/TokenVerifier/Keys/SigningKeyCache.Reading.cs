using System.Collections.Frozen;

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
        // cores that serve requests, in code run too rarely for the runtime to optimise it. A set fetched again shares the
        // keys of the one read, so the keys tell whether the set serving is still the one this document gave.
        if (_read is { } read && ReferenceEquals(read.Keys, previous?.Keys) && string.Equals(read.Json, json, StringComparison.Ordinal))
        {
            LogRejected(read.Rejected);
            return previous!.FetchedAgain(_time.GetUtcNow(), publishedAt);
        }

        var rejected = new List<string>();
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        var keys = JwksKeyReader.Read(json, rejected, refused);
        Interlocked.Increment(ref _documentsRead);
        LogRejected(rejected);
        if (keys.Count == 0)
        {
            throw new FormatException("the key set has no usable RS256 signing key");
        }

        var set = SigningKeySet.Following(previous, keys, _time.GetUtcNow(), refused, publishedAt);
        _read = new ReadDocument(json, [.. rejected], set.Keys);
        return set;
    }

    private void LogRejected(IReadOnlyList<string> reasons)
    {
        foreach (var reason in reasons)
        {
            KeyCacheLog.KeyRejected(_logger, JwksUri, reason);
        }
    }

    /// <summary>A document read, what its reading refused (for the log), and the keys it gave, which it still gives while unchanged.</summary>
    private sealed record ReadDocument(string Json, string[] Rejected, FrozenDictionary<string, RsaSigningKey> Keys);
}
