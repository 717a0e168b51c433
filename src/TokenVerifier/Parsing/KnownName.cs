namespace TokenVerifier.Validation;

/// <summary>
/// The member names <see cref="InternedNames"/> knows, by their place in its table, so that a reader dispatches on a
/// number instead of comparing the name with each claim type it answers.
/// </summary>
internal enum KnownName
{
    None = -1,
    Issuer,
    Subject,
    Expiration,
    IssuedAt,
    NotBefore,
    TokenId,
    Audience,
    Algorithm,
    KeyId,
    Type,
    Scope,
    Email,
    Version,
    Username,
    EventId,
    TokenUse,
    ClientId,
    AuthTime,
    OriginTokenId,
    Groups,
    EmailVerified,
    CognitoUsername,
}
