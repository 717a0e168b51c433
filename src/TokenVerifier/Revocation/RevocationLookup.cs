namespace TokenVerifier.Revocation;

/// <summary>
/// What a shared store must still read about one token after its local cache answered what it could: the pool
/// (<see cref="RevocationPool.Of"/>), the ids to read (null where the local cache answered, or where the token has no such
/// claim) and the entries the local cache held.
/// </summary>
internal readonly record struct RevocationLookup(string Pool, string? TokenId, string? OriginTokenId, string? Subject, long TokenEntry, long SignInEntry, long UserEntry);
