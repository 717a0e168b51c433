using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Testing;
using static TokenVerifier.Tests.Testing.MintedTokens;

namespace TokenVerifier.Tests.Testing;

/// <summary>Key rotation, removal and size, and the JWKS the pool publishes.</summary>
public sealed class LocalUserPoolKeyTests : LocalUserPoolTestBase
{
    [Fact]
    public void RotationKeepsThePreviousKeyPublishedByDefault()
    {
        string oldKid = Pool.CurrentKeyId;
        string oldToken = Pool.MintAccessToken();
        string newKid = Pool.RotateKey();
        string newToken = Pool.MintAccessToken();

        Assert.NotEqual(oldKid, newKid);
        Assert.Equal(newKid, Pool.CurrentKeyId);
        Assert.Equal([oldKid, newKid], Pool.PublishedKeyIds);
        Assert.Equal([oldKid, newKid], JwksKids(Pool.GetJwksJson()));
        Assert.Equal(newKid, Header(newToken).GetProperty("kid").GetString());
        Assert.True(Verifies(oldToken, Pool.GetJwksJson()));
        Assert.True(Verifies(newToken, Pool.GetJwksJson()));
        Assert.True(Verifies(Pool.MintAccessToken(new LocalTokenOptions { KeyId = oldKid }), Pool.GetJwksJson()));
    }

    [Fact]
    public void RotationWithoutKeepingDropsThePreviousKey()
    {
        string oldKid = Pool.CurrentKeyId;
        string oldToken = Pool.MintAccessToken();
        string newKid = Pool.RotateKey(keepPreviousKey: false);

        Assert.Equal([newKid], Pool.PublishedKeyIds);
        Assert.Equal([newKid], JwksKids(Pool.GetJwksJson()));
        Assert.False(Verifies(oldToken, Pool.GetJwksJson()));
        Assert.Throws<ArgumentException>(() => Pool.MintAccessToken(new LocalTokenOptions { KeyId = oldKid }));
        Assert.Throws<ArgumentException>(() => Pool.ExportPublicKey(oldKid));
    }

    [Fact]
    public void RemovedKeyIsUnpublishedAndCannotSign()
    {
        string oldKid = Pool.CurrentKeyId;
        string oldToken = Pool.MintAccessToken();
        string newKid = Pool.RotateKey();

        Pool.RemoveKey(oldKid);

        Assert.Equal([newKid], Pool.PublishedKeyIds);
        Assert.False(Verifies(oldToken, Pool.GetJwksJson()));
        Assert.Throws<ArgumentException>(() => Pool.SignRaw("{}", "{}", oldKid));
        Assert.Throws<ArgumentException>(() => Pool.RemoveKey(oldKid));
        Assert.Throws<InvalidOperationException>(() => Pool.RemoveKey(newKid));
        Assert.Equal([newKid], Pool.PublishedKeyIds);
    }

    [Fact]
    public void SigningWithAnUnknownKidIsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => Pool.MintIdToken(new LocalTokenOptions { KeyId = "nope" }));
        Assert.Contains("nope", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JwksListsRsaSigningKeysInMinimalBase64url()
    {
        using JsonDocument jwks = JsonDocument.Parse(Pool.GetJwksJson());
        JsonElement key = Assert.Single(jwks.RootElement.GetProperty("keys").EnumerateArray());

        Assert.Equal(["kty", "kid", "use", "alg", "n", "e"], key.EnumerateObject().Select(p => p.Name));
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.Equal("RS256", key.GetProperty("alg").GetString());
        Assert.Equal(Pool.CurrentKeyId, key.GetProperty("kid").GetString());
        Assert.Equal("AQAB", key.GetProperty("e").GetString());
        string n = key.GetProperty("n").GetString()!;
        Assert.Matches("^[A-Za-z0-9_-]+$", n);
        byte[] modulus = Base64Url.DecodeFromChars(n);
        Assert.Equal(256, modulus.Length);
        Assert.NotEqual(0, modulus[0]);

        RSAParameters exported = Pool.ExportPublicKey(Pool.CurrentKeyId);
        Assert.Equal(modulus, exported.Modulus);
        Assert.Equal(new byte[] { 1, 0, 1 }, exported.Exponent);
        Assert.Null(exported.D);
    }

    [Fact]
    public void KeySizeIsHonoured()
    {
        using var pool = new LocalUserPool(keySizeInBits: 3072);
        Assert.Equal(384, pool.ExportPublicKey(pool.CurrentKeyId).Modulus!.Length);
        Assert.True(Verifies(pool.MintAccessToken(), pool.GetJwksJson()));
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => new LocalUserPool(keySizeInBits: 0));
    }

    [Fact]
    public void MintingFromManyThreadsWhileRotatingGivesValidTokens()
    {
        var tokens = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if (i % 50 == 0)
            {
                Pool.RotateKey();
            }

            LocalTokenSet set = Pool.SignIn(new LocalTokenOptions { Username = "user" + i.ToString(CultureInfo.InvariantCulture) });
            tokens.Add(set.AccessToken);
            tokens.Add(set.IdToken);
        });

        string jwks = Pool.GetJwksJson();
        Assert.Equal(400, tokens.Count);
        Assert.All(tokens, token => Assert.True(Verifies(token, jwks)));
        Assert.Equal(400, tokens.Select(t => Payload(t).GetProperty("jti").GetString()).Distinct().Count());
        Assert.Equal(5, Pool.PublishedKeyIds.Count);
    }
}
