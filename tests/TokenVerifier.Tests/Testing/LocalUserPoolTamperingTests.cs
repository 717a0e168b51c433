using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Testing;
using static TokenVerifier.Tests.Testing.MintedTokens;

namespace TokenVerifier.Tests.Testing;

/// <summary>Deliberately broken tokens (tampered, signed by an unpublished key) and raw signing.</summary>
public sealed class LocalUserPoolTamperingTests : LocalUserPoolTestBase
{
    [Fact]
    public void TamperedSignatureNoLongerVerifies()
    {
        string token = Pool.MintAccessToken();
        string tampered = LocalUserPool.TamperSignature(token);
        string[] before = token.Split('.');
        string[] after = tampered.Split('.');

        Assert.Equal(before[0], after[0]);
        Assert.Equal(before[1], after[1]);
        Assert.NotEqual(before[2], after[2]);
        byte[] original = Base64Url.DecodeFromChars(before[2]);
        byte[] flipped = Base64Url.DecodeFromChars(after[2]);
        Assert.Equal(original.Length, flipped.Length);
        Assert.Equal(1, original.Zip(flipped, (a, b) => BitCount(a ^ b)).Sum());
        Assert.False(Verifies(tampered, Pool.GetJwksJson()));
    }

    [Fact]
    public void TamperedPayloadKeepsTheOldSignatureAndNoLongerVerifies()
    {
        string token = Pool.MintAccessToken();
        string tampered = LocalUserPool.TamperPayload(token, "username", "\"admin\"");
        JsonElement payload = Payload(tampered);

        Assert.Equal("admin", payload.GetProperty("username").GetString());
        Assert.Equal(ClaimNames(Payload(token)), ClaimNames(payload));
        Assert.Equal(token.Split('.')[0], tampered.Split('.')[0]);
        Assert.Equal(token.Split('.')[2], tampered.Split('.')[2]);
        Assert.False(Verifies(tampered, Pool.GetJwksJson()));
    }

    [Fact]
    public void TamperingAnAbsentClaimAddsItAndBadInputIsRejected()
    {
        string token = Pool.MintAccessToken();
        JsonElement payload = Payload(LocalUserPool.TamperPayload(token, "cognito:groups", """["admins"]"""));
        Assert.Equal("cognito:groups", ClaimNames(payload)[^1]);
        Assert.Equal("""["admins"]""", payload.GetProperty("cognito:groups").GetRawText());

        Assert.Throws<ArgumentException>(() => LocalUserPool.TamperPayload(token, "exp", "not json"));
        Assert.Throws<ArgumentException>(() => LocalUserPool.TamperPayload("a.b", "exp", "1"));
        Assert.Throws<ArgumentException>(() => LocalUserPool.TamperSignature("a.b.c.d"));
        Assert.Throws<ArgumentException>(() => LocalUserPool.TamperSignature("a.b."));
    }

    [Fact]
    public void TokenSignedWithAnUnpublishedKeyCarriesTheCurrentKidButDoesNotVerify()
    {
        string jwksBefore = Pool.GetJwksJson();
        string token = Pool.SignWithUnpublishedKey();

        Assert.Equal(Pool.CurrentKeyId, Header(token).GetProperty("kid").GetString());
        Assert.Equal("access", Payload(token).GetProperty("token_use").GetString());
        Assert.False(Verifies(token, Pool.GetJwksJson()));
        Assert.Equal(jwksBefore, Pool.GetJwksJson());
        Assert.Equal([Pool.CurrentKeyId], Pool.PublishedKeyIds);

        // A real RSA-2048 signature, not filler: only the key behind it is wrong.
        Assert.Equal(256, Segment(token, 2).Length);
    }

    [Fact]
    public void RawSigningUsesTheBytesVerbatim()
    {
        byte[] header = Encoding.UTF8.GetBytes($$"""{"kid":"{{Pool.CurrentKeyId}}","alg":"RS256","alg":"none"}""");
        byte[] payload = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("""{"sub":"a","sub":"b"}""")];
        string token = Pool.SignRaw(header, payload);

        Assert.Equal(header, Segment(token, 0));
        Assert.Equal(payload, Segment(token, 1));
        Assert.True(Verifies(token, Pool.GetJwksJson(), kid: Pool.CurrentKeyId));

        string garbage = Pool.SignRaw("not json", "\uFEFF{}");
        Assert.Equal("not json"u8.ToArray(), Segment(garbage, 0));
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}' }, Segment(garbage, 1));
        Assert.True(Verifies(garbage, Pool.GetJwksJson(), kid: Pool.CurrentKeyId));
    }

    [Fact]
    public void RawSigningCanPickAKey()
    {
        string oldKid = Pool.CurrentKeyId;
        Pool.RotateKey();
        string token = Pool.SignRaw("""{"alg":"RS256"}""", "{}", oldKid);
        Assert.True(Verifies(token, Pool.GetJwksJson(), kid: oldKid));
        Assert.False(Verifies(token, Pool.GetJwksJson(), kid: Pool.CurrentKeyId));
    }

    [Fact]
    public void Base64urlHasNoPaddingAndUrlSafeCharacters()
    {
        Assert.Equal("", LocalUserPool.Base64UrlEncode([]));
        Assert.Equal("-_8", LocalUserPool.Base64UrlEncode([0xFB, 0xFF]));
        Assert.Equal("AQAB", LocalUserPool.Base64UrlEncode([1, 0, 1]));
        Assert.Equal("YQ", LocalUserPool.Base64UrlEncode("a"u8));
    }
}
