using System.Collections.Concurrent;
using TokenVerifier.Keys;

namespace TokenVerifier.Validation;

/// <summary>
/// Tokens that passed every check up to (not including) the per-request ones, so a repeated token skips the parse and the
/// RSA verification. The key is the whole token, kept as its ASCII bytes and shared with the validated token (which
/// reads its claims from them): a hash of its tail picks the bucket, equality compares every character.
/// An entry is never served at or past its <c>exp</c> (plus skew), nor once the key that verified it is no longer the
/// pool's key under its kid (the kid left the key set, or now names other material).
/// Lookups take no lock. Insertions and evictions lock one of a few segments; eviction is second-chance ("clock"):
/// the oldest entry goes unless it was used since it was last considered, so recently used tokens stay.
/// </summary>
internal sealed partial class ValidatedTokenCache : IDisposable
{
    // The tail of a token is its signature: effectively random for every validly signed token, so hashing it spreads
    // entries as well as hashing the whole ~1 KB string would, at a thirtieth of the cost.
    private const int HashedTailLength = 32;
    private const int EntriesPerSegment = 256;
    private const int MaxSegments = 16;

    private readonly ConcurrentDictionary<byte[], Entry> _entries;

    // Looks tokens up by their characters, so a token still inside a header is found without being copied out.
    private readonly ConcurrentDictionary<byte[], Entry>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly Segment[] _segments;
    private readonly StripedCounter _hits = new();
    private readonly StripedCounter _misses = new();
    private readonly TimeProvider _time;
    private readonly double _skewSeconds;

    // The key caches outlive this cache (they are shared by every validator of a registry): their handlers to this one are
    // what Dispose takes back, so that a dropped validator's entries can be collected.
    private readonly List<(SigningKeyCache Keys, Action<IReadOnlyCollection<string>> Handler)> _subscriptions = [];

    public ValidatedTokenCache(int capacity, TimeSpan clockSkew, TimeProvider time, IEnumerable<SigningKeyCache> keyCaches)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _entries = new(TailComparer.Instance);
        _bySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
        Capacity = capacity;
        _time = time;
        _skewSeconds = clockSkew.TotalSeconds;

        // Segment capacities add up to exactly the configured bound; small caches keep one segment and so an exact order.
        var count = Math.Clamp(capacity / EntriesPerSegment, 1, MaxSegments);
        _segments = new Segment[count];
        for (var i = 0; i < count; i++)
        {
            _segments[i] = new Segment(capacity / count + (i < capacity % count ? 1 : 0));
        }

        foreach (var keys in keyCaches)
        {
            Action<IReadOnlyCollection<string>> handler = removed => RemoveEntriesOf(keys, removed);
            keys.KeysRemoved += handler;
            _subscriptions.Add((keys, handler));
        }
    }

    public int Capacity { get; }

    /// <summary>The validated token for <paramref name="token"/>, if cached, unexpired and its key is still the one under its kid.</summary>
    public bool TryGet(string token, out UserPoolToken? validated)
    {
        // Callers that ignore nullable annotations get the reader's "empty token" answer, not an exception from here.
        if (token is null)
        {
            validated = null;
            return false;
        }

        return TryGet(token.AsSpan(), out validated);
    }

    /// <summary>As <see cref="TryGet(string, out UserPoolToken?)"/>, for a token that is still part of a larger string.</summary>
    public bool TryGet(ReadOnlySpan<char> token, out UserPoolToken? validated)
    {
        if (!_bySpan.TryGetValue(token, out var entry))
        {
            _misses.Increment();
            validated = null;
            return false;
        }

        // The key lookup may start a background refresh: that is what keeps the key set fresh (and removed keys
        // detected) while every request is served from here. A refresh keeps the instance of a key it publishes again
        // unchanged, so a reference comparison tells whether the key that verified the token is still the published one,
        // including for an entry added by a validation that raced the refresh and missed its removal notice.
        // The reading serves the key set's age too when the key cache goes by the same clock.
        var clock = _time.GetUtcNow();
        var now = clock.ToUnixTimeMilliseconds() / 1000.0;
        if (now >= entry.ExpiresAt + _skewSeconds
            || entry.NotBefore > now + _skewSeconds
            || !entry.Keys.TryGetKey(entry.Key.KeyId, _time, clock, out var current)
            || !ReferenceEquals(current, entry.Key))
        {
            Remove(SegmentOf(token), entry);
            _misses.Increment();
            validated = null;
            return false;
        }

        // Written only when it changes, so a hot entry's cache line is not bounced between cores on every hit.
        if (!entry.Used)
        {
            entry.Used = true;
        }

        _hits.Increment();
        validated = entry.Value;
        return true;
    }

    /// <summary>
    /// Caches <paramref name="validated"/>, verified by <paramref name="key"/> of <paramref name="keys"/>, valid from
    /// <paramref name="notBefore"/> until <paramref name="expiresAt"/> (Unix seconds). The token is kept once, as ASCII
    /// bytes: the entry's key and, from now on, what <paramref name="validated"/> reads its claims from. A token that is
    /// not ASCII (never one that validated) is not cached.
    /// </summary>
    public void Add(ReadOnlySpan<char> token, UserPoolToken validated, SigningKeyCache keys, RsaSigningKey key, double expiresAt, double notBefore)
    {
        if (KeyOf(token) is not { } ascii)
        {
            return;
        }

        validated.ShareSource(ascii);
        var segment = SegmentOf(token);
        var entry = new Entry(ascii, validated, keys, key, expiresAt, notBefore);
        lock (segment.Gate)
        {
            // Two requests that missed on the same token at once both validated it; the first entry stands.
            if (!_entries.TryAdd(ascii, entry))
            {
                return;
            }

            segment.Append(entry);

            // Hits go on setting flags while this runs; bounding the second chances bounds the loop.
            var chances = segment.Count;
            while (segment.Count > segment.Capacity)
            {
                var oldest = segment.Oldest!;
                segment.Unlink(oldest);
                if (oldest.Used && chances-- > 0)
                {
                    // Second chance: used since it was last here, so it goes to the back of the queue instead.
                    oldest.Used = false;
                    segment.Append(oldest);
                    continue;
                }

                _entries.TryRemove(new KeyValuePair<byte[], Entry>(oldest.Token, oldest));
                segment.Evictions++;
            }
        }
    }

    /// <summary>Stops listening to the key caches and drops every entry; lookups then miss.</summary>
    public void Dispose()
    {
        lock (_subscriptions)
        {
            foreach (var (keys, handler) in _subscriptions)
            {
                keys.KeysRemoved -= handler;
            }

            _subscriptions.Clear();
        }

        foreach (var segment in _segments)
        {
            lock (segment.Gate)
            {
                for (var entry = segment.Oldest; entry is not null;)
                {
                    var newer = entry.Newer;
                    segment.Unlink(entry);
                    _entries.TryRemove(new KeyValuePair<byte[], Entry>(entry.Token, entry));
                    entry = newer;
                }
            }
        }
    }

    public ValidatedTokenCacheStatistics GetStatistics()
    {
        long evictions = 0;
        var count = 0;
        foreach (var segment in _segments)
        {
            lock (segment.Gate)
            {
                evictions += segment.Evictions;
                count += segment.Count;
            }
        }

        return new ValidatedTokenCacheStatistics(_hits.Read(), _misses.Read(), evictions, count, Capacity);
    }

    // Runs when a refreshed key set no longer has these kids, or has other keys under them; rare (Cognito rotates keys
    // seldom), so a full walk. Only frees memory early: a hit checks its key anyway.
    private void RemoveEntriesOf(SigningKeyCache keys, IReadOnlyCollection<string> removedKeyIds)
    {
        foreach (var segment in _segments)
        {
            lock (segment.Gate)
            {
                for (var entry = segment.Oldest; entry is not null;)
                {
                    var newer = entry.Newer;
                    if (ReferenceEquals(entry.Keys, keys) && removedKeyIds.Contains(entry.Value.KeyId))
                    {
                        segment.Unlink(entry);
                        _entries.TryRemove(new KeyValuePair<byte[], Entry>(entry.Token, entry));
                    }

                    entry = newer;
                }
            }
        }
    }

    private void Remove(Segment segment, Entry entry)
    {
        lock (segment.Gate)
        {
            // Only this entry: another request may have removed it, or evicted it and cached the token anew, meanwhile.
            if (_entries.TryRemove(new KeyValuePair<byte[], Entry>(entry.Token, entry)))
            {
                segment.Unlink(entry);
            }
        }
    }

    private Segment SegmentOf(ReadOnlySpan<char> token) =>
        _segments.Length == 1 ? _segments[0] : _segments[(uint)TailComparer.Instance.GetHashCode(token) % (uint)_segments.Length];

    private sealed class Entry(byte[] token, UserPoolToken value, SigningKeyCache keys, RsaSigningKey key, double expiresAt, double notBefore)
    {
        public readonly byte[] Token = token;
        public readonly UserPoolToken Value = value;
        public readonly SigningKeyCache Keys = keys;
        public readonly RsaSigningKey Key = key;
        public readonly double ExpiresAt = expiresAt;
        public readonly double NotBefore = notBefore;

        // Set by hits without a lock; a lost or late write only changes which entry is evicted first.
        public bool Used;
        public Entry? Newer;
        public Entry? Older;
    }
}
