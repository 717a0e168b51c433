using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Keys;
using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Testing;

/// <summary>A pool built around an existing key signs under that key's kid, so separate runs share one key set.</summary>
public sealed class LocalUserPoolImportedKeyTests : IDisposable
{
    private const string KeyId = "dev-key-1";
    private const string ClientId = "devclientid000000000000000";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly RSA _key = RSA.Create(2048);

    public void Dispose() => _key.Dispose();

    [Fact]
    public async Task A_token_from_one_pool_verifies_against_the_key_set_of_another_built_from_the_same_key()
    {
        using var minting = new LocalUserPool("eu-west-1_Dev1", _key, KeyId, defaultClientId: ClientId, timeProvider: _time);
        using var publishing = new LocalUserPool("eu-west-1_Dev1", _key, KeyId, defaultClientId: ClientId, timeProvider: _time);

        Assert.Equal(KeyId, minting.CurrentKeyId);
        Assert.Equal([KeyId], minting.PublishedKeyIds);
        Assert.Equal(ClientId, minting.DefaultClientId);
        Assert.Equal(minting.GetJwksJson(), publishing.GetJwksJson());
        var result = await Validator(publishing.GetJwksJson()).ValidateAsync(minting.MintAccessToken());
        Assert.True(result.IsValid, result.FailureMessage);
        Assert.Equal(KeyId, result.Token!.KeyId);
    }

    [Fact]
    public async Task Another_key_under_the_same_kid_does_not_verify()
    {
        using var otherKey = RSA.Create(2048);
        using var minting = new LocalUserPool("eu-west-1_Dev1", otherKey, KeyId, defaultClientId: ClientId, timeProvider: _time);
        using var publishing = new LocalUserPool("eu-west-1_Dev1", _key, KeyId, defaultClientId: ClientId, timeProvider: _time);

        Assert.Equal(TokenFailure.InvalidSignature, (await Validator(publishing.GetJwksJson()).ValidateAsync(minting.MintAccessToken())).Failure);
    }

    [Fact]
    public void Importing_a_key_generates_none()
    {
        // The imported-key constructor used to generate a 512-bit key first and throw it away; a command-line tool paid
        // for it on every run.
        var before = SigningKey.GeneratedOnThisThread;
        using (var pool = new LocalUserPool("eu-west-1_Dev1", _key, KeyId, timeProvider: _time))
        {
            Assert.Equal(KeyId, pool.CurrentKeyId);
        }

        Assert.Equal(before, SigningKey.GeneratedOnThisThread);
        using var generating = new LocalUserPool("eu-west-1_Dev1", timeProvider: _time);
        Assert.Equal(before + 1, SigningKey.GeneratedOnThisThread);
    }

    [Fact]
    public void The_pool_keeps_its_own_copy_of_the_key()
    {
        using var pool = new LocalUserPool("eu-west-1_Dev1", _key, KeyId, timeProvider: _time);
        string jwks = pool.GetJwksJson();

        _key.Dispose();

        Assert.Equal(jwks, pool.GetJwksJson());
        Assert.NotEmpty(pool.MintAccessToken());
    }

    [Fact]
    public void A_public_key_alone_cannot_sign()
    {
        using var publicOnly = RSA.Create(_key.ExportParameters(includePrivateParameters: false));

        var error = Assert.Throws<ArgumentException>(() => new LocalUserPool("eu-west-1_Dev1", publicOnly, KeyId));
        Assert.Equal("signingKey", error.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void An_empty_kid_or_client_id_is_refused(string value)
    {
        Assert.Throws<ArgumentException>(() => new LocalUserPool("eu-west-1_Dev1", _key, value));
        Assert.Throws<ArgumentException>(() => new LocalUserPool("eu-west-1_Dev1", _key, KeyId, defaultClientId: value));
    }

    private UserPoolTokenValidator Validator(string jwks) => new(
        new UserPoolValidationOptions { UserPoolId = "eu-west-1_Dev1", ClientIds = [ClientId], Jwks = jwks },
        new SigningKeyCacheRegistry(() => throw new InvalidOperationException("A configured key set is never fetched."), _time),
        _time);
}
