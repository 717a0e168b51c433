namespace TokenVerifier.Revocation;

/// <summary>An entry's identity: a struct, so looking one up allocates nothing.</summary>
internal readonly record struct RevocationKey(RevocationKind Kind, string Id);
