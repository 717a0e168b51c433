namespace TokenVerifier.Revocation;

/// <summary>
/// An entry's identity: its kind, its pool (<see cref="RevocationPool.Of"/>) and its <c>jti</c>, <c>origin_jti</c> or
/// <c>sub</c>. A struct, so looking one up allocates nothing.
/// </summary>
internal readonly record struct RevocationKey(RevocationKind Kind, string Pool, string Id);
