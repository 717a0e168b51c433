using System.Collections.Frozen;
using TokenVerifier.Keys;

namespace TokenVerifier.Validation;

/// <summary>A configured pool as the validator uses it: its allowed clients and its key cache.</summary>
internal sealed class TrustedPool(UserPoolOptions options, SigningKeyCache keys)
{
    public UserPoolOptions Options { get; } = options;

    public SigningKeyCache Keys { get; } = keys;

    public bool AllowAnyClient { get; } = options.AllowAnyClient;

    public FrozenSet<string> ClientIds { get; } = options.ClientIds.ToFrozenSet(StringComparer.Ordinal);

    // Approved by the pool resolver: its tokens stay out of the validated-token cache, so a later refusal is not outlived by them.
    public bool Resolved { get; init; }

    public bool AllowsClient(string clientId) => AllowAnyClient || ClientIds.Contains(clientId);
}
