using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Revocation;

/// <summary>Validated-token records for store tests that need only the issuer, the identifiers and <c>iat</c>.</summary>
internal static class RevocationTokens
{
    /// <summary>The pool of every token made here unless a test names another.</summary>
    public const string Issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_PoolA";

    /// <summary>A second pool, whose <c>jti</c>s and <c>sub</c>s may equal the first pool's.</summary>
    public const string OtherIssuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_PoolB";

    public static UserPoolToken Make(string? tokenId = "jti-1", string? originTokenId = "origin-1", string? subject = "sub-1", DateTimeOffset? issuedAt = null, string issuer = Issuer) => new()
    {
        Issuer = issuer,
        TokenId = tokenId,
        OriginTokenId = originTokenId,
        Subject = subject,
        IssuedAt = issuedAt ?? Validation.TestPool.Start,
        ExpiresAt = (issuedAt ?? Validation.TestPool.Start).AddHours(1),
    };
}
