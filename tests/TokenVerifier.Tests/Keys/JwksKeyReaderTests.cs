using System.Security.Cryptography;
using TokenVerifier.Keys;
using TokenVerifier.Testing;

namespace TokenVerifier.Tests.Keys;

/// <summary>Keys a crypto library would accept but we must not.</summary>
public sealed class JwksKeyReaderTests
{
    private static readonly RSA Rsa2048 = RSA.Create(2048);

    private static string Jwk(RSA rsa, string kid = "k1", string extra = "", byte[]? exponent = null)
    {
        var p = rsa.ExportParameters(false);
        return $"{{\"kty\":\"RSA\",\"kid\":\"{kid}\",\"n\":\"{LocalUserPool.Base64UrlEncode(p.Modulus)}\",\"e\":\"{LocalUserPool.Base64UrlEncode(exponent ?? p.Exponent)}\"{extra}}}";
    }

    private static (Dictionary<string, RsaSigningKey> Keys, List<string> Rejected) Read(params string[] jwks)
    {
        var rejected = new List<string>();
        return (JwksKeyReader.Read("{\"keys\":[" + string.Join(",", jwks) + "]}", rejected), rejected);
    }

    [Fact]
    public void A_plain_RS256_signing_key_is_accepted()
    {
        var (keys, rejected) = Read(Jwk(Rsa2048, extra: ",\"use\":\"sig\",\"alg\":\"RS256\""));
        Assert.Single(keys);
        Assert.Empty(rejected);
        Assert.Equal(256, keys["k1"].ModulusBytes);
    }

    [Theory]
    [InlineData(",\"use\":\"enc\"", "use")]
    [InlineData(",\"alg\":\"RS512\"", "alg")]
    [InlineData(",\"alg\":\"RSA1_5\"", "alg")]
    [InlineData(",\"key_ops\":[\"encrypt\"]", "key_ops")]
    public void Keys_not_meant_for_RS256_signatures_are_rejected(string extra, string reason)
    {
        var (keys, rejected) = Read(Jwk(Rsa2048, extra: extra));
        Assert.Empty(keys);
        Assert.Contains(reason, Assert.Single(rejected), StringComparison.Ordinal);
    }

    [Fact]
    public void A_1024_bit_key_is_rejected()
    {
        using var small = RSA.Create(1024);
        var (keys, rejected) = Read(Jwk(small));
        Assert.Empty(keys);
        Assert.Contains("2048", Assert.Single(rejected), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 1 })]
    [InlineData(new byte[] { 2 })]
    [InlineData(new byte[] { 1, 0, 0 })]
    [InlineData(new byte[] { 1, 0, 0, 0, 1 })]
    public void Unsafe_public_exponents_are_rejected(byte[] exponent)
    {
        var (keys, rejected) = Read(Jwk(Rsa2048, exponent: exponent));
        Assert.Empty(keys);
        Assert.Contains("exponent", Assert.Single(rejected), StringComparison.Ordinal);
    }

    [Fact]
    public void An_EC_key_is_skipped_and_the_RSA_key_beside_it_kept()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ec.ExportParameters(false);
        var ecJwk = $"{{\"kty\":\"EC\",\"kid\":\"ec1\",\"crv\":\"P-256\",\"x\":\"{LocalUserPool.Base64UrlEncode(p.Q.X)}\",\"y\":\"{LocalUserPool.Base64UrlEncode(p.Q.Y)}\"}}";
        var (keys, rejected) = Read(ecJwk, Jwk(Rsa2048));
        Assert.Equal(["k1"], keys.Keys);
        Assert.Contains("kty", Assert.Single(rejected), StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_kids_are_ambiguous_and_neither_key_is_used()
    {
        using var other = RSA.Create(2048);
        var (keys, rejected) = Read(Jwk(Rsa2048, "dup"), Jwk(other, "dup"), Jwk(other, "unique"));
        Assert.Equal(["unique"], keys.Keys);
        Assert.Contains("more than once", Assert.Single(rejected), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<html>oops</html>")]
    [InlineData("{\"keys\":")]
    [InlineData("[]")]
    public void A_document_that_is_not_a_key_set_throws_a_format_error(string json) =>
        Assert.Throws<FormatException>(() => JwksKeyReader.Read(json, []));
}
