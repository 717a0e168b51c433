using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Testing;
using static TokenVerifier.Tests.Testing.MintedTokens;

namespace TokenVerifier.Tests.Testing;

/// <summary>A pool's identity (pool id, region, issuer, client id) as Cognito shapes it, and its disposal.</summary>
public sealed class LocalUserPoolTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly LocalUserPool _pool;

    public LocalUserPoolTests() => _pool = new LocalUserPool(timeProvider: _time);

    public void Dispose() => _pool.Dispose();

    [Fact]
    public void DefaultsLookLikeACognitoPool()
    {
        Assert.Equal("us-east-1_LocalPool1", _pool.UserPoolId);
        Assert.Equal("us-east-1", _pool.Region);
        Assert.Equal("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_LocalPool1", _pool.Issuer);
        Assert.Equal(new Uri("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_LocalPool1/.well-known/jwks.json"), _pool.JwksUri);
        Assert.Matches("^[a-z0-9]{26}$", _pool.DefaultClientId);
        Assert.Matches("^[A-Za-z0-9+/]{43}=$", _pool.CurrentKeyId);
        Assert.Equal([_pool.CurrentKeyId], _pool.PublishedKeyIds);
        Assert.Equal(0, _pool.JwksRequestCount);
    }

    [Fact]
    public void TwoPoolsHaveDifferentKeysAndClientIds()
    {
        using var other = new LocalUserPool();
        Assert.NotEqual(_pool.CurrentKeyId, other.CurrentKeyId);
        Assert.NotEqual(_pool.DefaultClientId, other.DefaultClientId);
        Assert.False(Verifies(other.MintAccessToken(), _pool.GetJwksJson()));
    }

    [Theory]
    [InlineData("eu-west-2_AbC123", "eu-west-2")]
    [InlineData("us-gov-west-1_x", "us-gov-west-1")]
    [InlineData("ap-southeast-10_Pool", "ap-southeast-10")]
    public void RegionIsThePrefixOfThePoolId(string userPoolId, string region)
    {
        using var pool = new LocalUserPool(userPoolId);
        Assert.Equal(region, pool.Region);
        Assert.Equal($"https://cognito-idp.{region}.amazonaws.com/{userPoolId}", pool.Issuer);
    }

    [Theory]
    [InlineData("")]
    [InlineData("nope")]
    [InlineData("us-east-1")]
    [InlineData("us-east-1_")]
    [InlineData("_AbC123")]
    [InlineData("US-EAST-1_AbC123")]
    [InlineData("us-east_AbC123")]
    [InlineData("useast1_AbC123")]
    [InlineData("us-east-1_Ab-C")]
    [InlineData("us-east-1_AbC123 ")]
    [InlineData("local_AbC123")]
    public void MalformedPoolIdIsRejectedWithAClearMessage(string userPoolId)
    {
        var ex = Assert.Throws<ArgumentException>(() => new LocalUserPool(userPoolId));
        Assert.Equal("userPoolId", ex.ParamName);
        Assert.Contains("us-east-1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullPoolIdIsRejected()
    {
        Assert.Throws<ArgumentNullException>(() => new LocalUserPool(null!));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("ftp://example.test/pool")]
    public void MalformedIssuerIsRejected(string issuer)
    {
        var ex = Assert.Throws<ArgumentException>(() => new LocalUserPool(issuer: issuer));
        Assert.Equal("issuer", ex.ParamName);
    }

    [Fact]
    public void IssuerOverrideChangesIssAndJwksUri()
    {
        using var pool = new LocalUserPool("us-west-2_Emu1", issuer: "http://localhost:9229/us-west-2_Emu1");
        Assert.Equal("http://localhost:9229/us-west-2_Emu1", pool.Issuer);
        Assert.Equal(new Uri("http://localhost:9229/us-west-2_Emu1/.well-known/jwks.json"), pool.JwksUri);
        Assert.Equal("us-west-2", pool.Region);
        Assert.Equal("http://localhost:9229/us-west-2_Emu1", Payload(pool.MintAccessToken()).GetProperty("iss").GetString());
        Assert.Equal("http://localhost:9229/us-west-2_Emu1", Payload(pool.MintIdToken()).GetProperty("iss").GetString());
    }

    [Fact]
    public async Task DisposedPoolRefusesToWork()
    {
        var pool = new LocalUserPool();
        HttpMessageHandler handler = pool.CreateJwksHandler();
        pool.Dispose();
        pool.Dispose();

        Assert.Throws<ObjectDisposedException>(() => pool.MintAccessToken());
        Assert.Throws<ObjectDisposedException>(() => pool.GetJwksJson());
        Assert.Throws<ObjectDisposedException>(() => pool.RotateKey());
        Assert.Throws<ObjectDisposedException>(() => pool.CurrentKeyId);
        using var client = new HttpClient(handler);
        await Assert.ThrowsAnyAsync<ObjectDisposedException>(() => client.GetStringAsync(pool.JwksUri));
    }
}
