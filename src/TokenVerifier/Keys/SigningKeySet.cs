using System.Collections.Frozen;

namespace TokenVerifier.Keys;

/// <summary>An immutable snapshot of a pool's accepted keys; replaced whole on refresh so readers need no lock.</summary>
internal sealed class SigningKeySet(FrozenDictionary<string, RsaSigningKey> keys, DateTimeOffset fetchedAt)
{
    public FrozenDictionary<string, RsaSigningKey> Keys { get; } = keys;

    public DateTimeOffset FetchedAt { get; } = fetchedAt;

    /// <summary>For a key set given in configuration: when it last changed (see <see cref="JwksDownload.PublishedAt"/>).</summary>
    public DateTimeOffset? PublishedAt { get; init; }

    /// <summary>The kids of published keys the vetting refused, with the reason: a token naming one is refused without a refresh.</summary>
    public FrozenDictionary<string, string> Refused { get; init; } = FrozenDictionary<string, string>.Empty;

    /// <summary>
    /// The set made of <paramref name="fetched"/>, following <paramref name="previous"/>: a key published again with the
    /// same kid and material stays the same instance, so results it verified stay bound to it across refreshes; a kid whose
    /// material changed gets the new instance, which is what unbinds them.
    /// </summary>
    public static SigningKeySet Following(SigningKeySet? previous, Dictionary<string, RsaSigningKey> fetched, DateTimeOffset fetchedAt, Dictionary<string, string>? refused = null, DateTimeOffset? publishedAt = null)
    {
        if (previous is not null)
        {
            foreach (var (keyId, known) in previous.Keys)
            {
                if (fetched.TryGetValue(keyId, out var key) && key.HasSameMaterial(known))
                {
                    fetched[keyId] = known;
                }
            }
        }

        return new(fetched.ToFrozenDictionary(StringComparer.Ordinal), fetchedAt)
        {
            Refused = refused is null ? FrozenDictionary<string, string>.Empty : refused.ToFrozenDictionary(StringComparer.Ordinal),
            PublishedAt = publishedAt,
        };
    }

    /// <summary>This set, fetched again at <paramref name="fetchedAt"/> from a document unchanged since it was read.</summary>
    public SigningKeySet FetchedAgain(DateTimeOffset fetchedAt, DateTimeOffset? publishedAt) =>
        new(Keys, fetchedAt) { Refused = Refused, PublishedAt = publishedAt };

    /// <summary>How this set differs from <paramref name="previous"/>, kid by kid; for a set made by <see cref="Following"/>.</summary>
    public KeySetChanges ChangesSince(SigningKeySet previous)
    {
        List<string>? removed = null;
        List<string>? replaced = null;
        foreach (var (keyId, known) in previous.Keys)
        {
            if (!Keys.TryGetValue(keyId, out var key))
            {
                (removed ??= []).Add(keyId);
            }
            else if (!ReferenceEquals(key, known))
            {
                (replaced ??= []).Add(keyId);
            }
        }

        var added = 0;
        foreach (var keyId in Keys.Keys)
        {
            added += previous.Keys.ContainsKey(keyId) ? 0 : 1;
        }

        return new KeySetChanges(removed ?? [], replaced ?? [], added);
    }
}
