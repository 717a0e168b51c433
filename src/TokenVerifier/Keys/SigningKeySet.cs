using System.Collections.Frozen;

namespace TokenVerifier.Keys;

/// <summary>An immutable snapshot of a pool's accepted keys; replaced whole on refresh so readers need no lock.</summary>
internal sealed class SigningKeySet(FrozenDictionary<string, RsaSigningKey> keys, DateTimeOffset fetchedAt)
{
    public FrozenDictionary<string, RsaSigningKey> Keys { get; } = keys;

    public DateTimeOffset FetchedAt { get; } = fetchedAt;

    /// <summary>The kids of published keys the vetting refused, with the reason: a token naming one is refused without a refresh.</summary>
    public FrozenDictionary<string, string> Refused { get; init; } = FrozenDictionary<string, string>.Empty;
}
