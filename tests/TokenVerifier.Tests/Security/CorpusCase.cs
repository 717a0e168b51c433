using TokenVerifier.Revocation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Security;

/// <summary>One hostile token: how it is built, what the validator must answer, and the setting it is checked under.</summary>
/// <param name="Name">Unique, readable: the test's display name.</param>
/// <param name="Expected">The exact reason (None where an attacker's decoration must not break a valid token).</param>
/// <param name="Token">Builds the token from the shared pool, keys and clock.</param>
/// <param name="Configure">Options different from the default access-only pool, if any.</param>
/// <param name="KeySet">Rewrites the pool's real JWKS before it is served, for key vetting cases.</param>
/// <param name="Revocation">The revocation store the validator asks, for revocation cases.</param>
/// <param name="AfterSignature">
/// Refused only when the payload is read in full, after the signature: a token signed by the pool under its issuer, so
/// the pool's keys may have been fetched to get there.
/// </param>
internal sealed record CorpusCase(
    string Name,
    TokenFailure Expected,
    Func<CorpusFixture, string> Token,
    Action<UserPoolValidationOptions>? Configure = null,
    Func<CorpusFixture, string, string>? KeySet = null,
    Func<CorpusFixture, IRevocationStore>? Revocation = null,
    bool AfterSignature = false);
