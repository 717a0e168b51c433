using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Testing;
using static TokenVerifier.Tests.Testing.MintedTokens;

namespace TokenVerifier.Tests.Testing;

/// <summary>Key rotation, removal and size, and the JWKS the pool publishes.</summary>
public sealed class LocalUserPoolKeyTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly LocalUserPool _pool;

    public LocalUserPoolKeyTests() => _pool = new LocalUserPool(timeProvider: _time);

    public void Dispose() => _pool.Dispose();

    [Fact]
    public void RotationKeepsThePreviousKeyPublishedByDefault()
    {
        string oldKid = _pool.CurrentKeyId;
        string oldToken = _pool.MintAccessToken();
        string newKid = _pool.RotateKey();
        string newToken = _pool.MintAccessToken();

        Assert.NotEqual(oldKid, newKid);
        Assert.Equal(newKid, _pool.CurrentKeyId);
        Assert.Equal([oldKid, newKid], _pool.PublishedKeyIds);
        Assert.Equal([oldKid, newKid], JwksKids(_pool.GetJwksJson()));
        Assert.Equal(newKid, Header(newToken).GetProperty("kid").GetString());
        Assert.True(Verifies(oldToken, _pool.GetJwksJson()));
        Assert.True(Verifies(newToken, _pool.GetJwksJson()));
        Assert.True(Verifies(_pool.MintAccessToken(new LocalTokenOptions { KeyId = oldKid }), _pool.GetJwksJson()));
    }

    [Fact]
    public void RotationWithoutKeepingDropsThePreviousKey()
    {
        string oldKid = _pool.CurrentKeyId;
        string oldToken = _pool.MintAccessToken();
        string newKid = _pool.RotateKey(keepPreviousKey: false);

        Assert.Equal([newKid], _pool.PublishedKeyIds);
        Assert.Equal([newKid], JwksKids(_pool.GetJwksJson()));
        Assert.False(Verifies(oldToken, _pool.GetJwksJson()));
        Assert.Throws<ArgumentException>(() => _pool.MintAccessToken(new LocalTokenOptions { KeyId = oldKid }));
        Assert.Throws<ArgumentException>(() => _pool.ExportPublicKey(oldKid));
    }

    [Fact]
    public void RemovedKeyIsUnpublishedAndCannotSign()
    {
        string oldKid = _pool.CurrentKeyId;
        string oldToken = _pool.MintAccessToken();
        string newKid = _pool.RotateKey();

        _pool.RemoveKey(oldKid);

        Assert.Equal([newKid], _pool.PublishedKeyIds);
        Assert.False(Verifies(oldToken, _pool.GetJwksJson()));
        Assert.Throws<ArgumentException>(() => _pool.SignRaw("{}", "{}", oldKid));
        Assert.Throws<ArgumentException>(() => _pool.RemoveKey(oldKid));
        Assert.Throws<InvalidOperationException>(() => _pool.RemoveKey(newKid));
        Assert.Equal([newKid], _pool.PublishedKeyIds);
    }

    [Fact]
    public void SigningWithAnUnknownKidIsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => _pool.MintIdToken(new LocalTokenOptions { KeyId = "nope" }));
        Assert.Contains("nope", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JwksListsRsaSigningKeysInMinimalBase64url()
    {
        using JsonDocument jwks = JsonDocument.Parse(_pool.GetJwksJson());
        JsonElement key = Assert.Single(jwks.RootElement.GetProperty("keys").EnumerateArray());

        Assert.Equal(["kty", "kid", "use", "alg", "n", "e"], key.EnumerateObject().Select(p => p.Name));
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.Equal("RS256", key.GetProperty("alg").GetString());
        Assert.Equal(_pool.CurrentKeyId, key.GetProperty("kid").GetString());
        Assert.Equal("AQAB", key.GetProperty("e").GetString());
        string n = key.GetProperty("n").GetString()!;
        Assert.Matches("^[A-Za-z0-9_-]+$", n);
        byte[] modulus = Base64Url.DecodeFromChars(n);
        Assert.Equal(256, modulus.Length);
        Assert.NotEqual(0, modulus[0]);

        RSAParameters exported = _pool.ExportPublicKey(_pool.CurrentKeyId);
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
                _pool.RotateKey();
            }

            LocalTokenSet set = _pool.SignIn(new LocalTokenOptions { Username = "user" + i.ToString(CultureInfo.InvariantCulture) });
            tokens.Add(set.AccessToken);
            tokens.Add(set.IdToken);
        });

        string jwks = _pool.GetJwksJson();
        Assert.Equal(400, tokens.Count);
        Assert.All(tokens, token => Assert.True(Verifies(token, jwks)));
        Assert.Equal(400, tokens.Select(t => Payload(t).GetProperty("jti").GetString()).Distinct().Count());
        Assert.Equal(5, _pool.PublishedKeyIds.Count);
    }
}
