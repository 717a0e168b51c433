using System.Collections.Frozen;

namespace TokenVerifier.Keys;

/// <summary>An immutable snapshot of a pool's accepted keys; replaced whole on refresh so readers need no lock.</summary>
internal sealed class SigningKeySet(FrozenDictionary<string, RsaSigningKey> keys, DateTimeOffset fetchedAt)
{
    public FrozenDictionary<string, RsaSigningKey> Keys { get; } = keys;

    public DateTimeOffset FetchedAt { get; } = fetchedAt;
}
