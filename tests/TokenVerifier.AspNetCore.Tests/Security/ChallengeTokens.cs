using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Tests.Security;

/// <summary>For every rejection reason, a token the sample rejects for exactly that reason and the description it gets.</summary>
internal static class ChallengeTokens
{
    /// <summary>The jti of the token built for <see cref="TokenFailure.Revoked"/>; the test revokes it in the app's store.</summary>
    public const string RevokedTokenId = "challenge-revoked-jti";

    public static readonly (TokenFailure Failure, string Description)[] Expected =
    [
        (TokenFailure.Malformed, "The token does not have exactly three segments."),
        (TokenFailure.TooLarge, "The token is longer than 16384 characters."),
        (TokenFailure.UnsupportedAlgorithm, "The token's algorithm is not allowed; only RS256 is accepted."),
        (TokenFailure.MissingKeyId, "The token header has no key id (kid)."),
        (TokenFailure.UnsupportedHeader, "The token header has a 'crit' parameter, which is not supported."),
        (TokenFailure.UnknownIssuer, "The token's issuer is not a configured user pool."),
        (TokenFailure.KeyNotFound, "The token's signing key (kid) is not in the user pool's key set."),
        (TokenFailure.InvalidSignature, "The token's signature is invalid."),
        (TokenFailure.MissingClaim, "The token has no 'exp' claim."),
        (TokenFailure.InvalidClaim, "The token's 'exp' claim has the wrong type or an out-of-range value."),
        (TokenFailure.Expired, "The token expired at 2020-01-01T01:00:00Z."),
        (TokenFailure.NotYetValid, "The token is not valid before 2100-01-01T00:00:00Z."),
        (TokenFailure.InvalidTokenUse, "The token is an ID token, but only access tokens are accepted."),
        (TokenFailure.InvalidClient, "The token was issued to an app client that is not allowed."),
        (TokenFailure.Revoked, "The token has been revoked."),
        (TokenFailure.InvalidKey, "The token's signing key was refused: modulus shorter than 2048 bits."),
    ];

    /// <summary>The kid of the 1024-bit key that <see cref="WeakKeyHandler"/> adds to the sample's key set.</summary>
    public const string WeakKeyId = "weak-1024";

    /// <summary>A key the vetting refuses (1024 bits); the token built for <see cref="TokenFailure.InvalidKey"/> is signed with it.</summary>
    public static readonly RSA WeakKey = RSA.Create(1024);

    public static string For(TokenFailure failure, LocalUserPool pool) => failure switch
    {
        TokenFailure.Malformed => "not-a-jwt",
        TokenFailure.TooLarge => pool.MintAccessToken(With(o => o.AdditionalClaims["padding"] = new string('x', 17 * 1024))),
        TokenFailure.UnsupportedAlgorithm => Encode("{\"alg\":\"none\"}") + "." + Encode(Payload(pool)) + ".",
        TokenFailure.MissingKeyId => pool.SignRaw("{\"alg\":\"RS256\"}", Payload(pool)),
        TokenFailure.UnsupportedHeader => pool.SignRaw($"{{\"alg\":\"RS256\",\"kid\":\"{pool.CurrentKeyId}\",\"crit\":[\"exp\"]}}", Payload(pool)),
        TokenFailure.UnknownIssuer => Other(pool),
        TokenFailure.KeyNotFound => pool.SignRaw("{\"alg\":\"RS256\",\"kid\":\"not-a-published-kid\"}", Payload(pool)),
        TokenFailure.InvalidKey => SignWithWeakKey(Payload(pool)),
        TokenFailure.InvalidSignature => LocalUserPool.TamperSignature(pool.MintAccessToken()),
        TokenFailure.MissingClaim => pool.MintAccessToken(With(o => o.OmitClaims.Add("exp"))),
        TokenFailure.InvalidClaim => pool.MintAccessToken(With(o => o.AdditionalClaims["exp"] = "9999999999")),
        TokenFailure.Expired => pool.MintAccessToken(With(o => o.IssuedAt = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero))),
        TokenFailure.NotYetValid => pool.MintAccessToken(With(o => o.NotBefore = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero))),
        TokenFailure.InvalidTokenUse => pool.MintIdToken(),
        TokenFailure.InvalidClient => pool.MintAccessToken(With(o => o.ClientId = "someotherclient00000000000")),
        TokenFailure.Revoked => pool.MintAccessToken(With(o => o.Jti = RevokedTokenId)),
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, "no token for this reason"),
    };

    private static LocalTokenOptions With(Action<LocalTokenOptions> configure)
    {
        var options = new LocalTokenOptions();
        configure(options);
        return options;
    }

    private static string Other(LocalUserPool pool) =>
        pool.SignRaw($"{{\"alg\":\"RS256\",\"kid\":\"{pool.CurrentKeyId}\"}}", Payload(pool).Replace(pool.Issuer, "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Elsewhere1", StringComparison.Ordinal));

    private static string SignWithWeakKey(string payload)
    {
        var input = Encode($"{{\"alg\":\"RS256\",\"kid\":\"{WeakKeyId}\"}}") + "." + Encode(payload);
        return input + "." + LocalUserPool.Base64UrlEncode(WeakKey.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private static string Encode(string json) => LocalUserPool.Base64UrlEncode(Encoding.UTF8.GetBytes(json));

    private static string Payload(LocalUserPool pool)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string Seconds(long s) => s.ToString(CultureInfo.InvariantCulture);
        return $"{{\"sub\":\"s\",\"iss\":\"{pool.Issuer}\",\"client_id\":\"{pool.DefaultClientId}\",\"token_use\":\"access\",\"scope\":\"a\",\"exp\":{Seconds(now + 600)},\"iat\":{Seconds(now)},\"username\":\"u\"}}";
    }
}
