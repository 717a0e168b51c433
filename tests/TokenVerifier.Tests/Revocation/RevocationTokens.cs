using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Revocation;

/// <summary>Validated-token records for store tests that need only the identifiers and <c>iat</c>.</summary>
internal static class RevocationTokens
{
    public static UserPoolToken Make(string? tokenId = "jti-1", string? originTokenId = "origin-1", string? subject = "sub-1", DateTimeOffset? issuedAt = null) => new()
    {
        TokenId = tokenId,
        OriginTokenId = originTokenId,
        Subject = subject,
        IssuedAt = issuedAt ?? Validation.TestPool.Start,
        ExpiresAt = (issuedAt ?? Validation.TestPool.Start).AddHours(1),
    };
}
