using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Testing;
using static TokenVerifier.Tests.Testing.MintedTokens;

namespace TokenVerifier.Tests.Testing;

/// <summary>A pool's identity (pool id, region, issuer, client id) as Cognito shapes it, and its disposal.</summary>
public sealed class LocalUserPoolTests : LocalUserPoolTestBase
{
    [Fact]
    public void DefaultsLookLikeACognitoPool()
    {
        Assert.Equal("us-east-1_LocalPool1", Pool.UserPoolId);
        Assert.Equal("us-east-1", Pool.Region);
        Assert.Equal("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_LocalPool1", Pool.Issuer);
        Assert.Equal(new Uri("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_LocalPool1/.well-known/jwks.json"), Pool.JwksUri);
        Assert.Matches("^[a-z0-9]{26}$", Pool.DefaultClientId);
        Assert.Matches("^[A-Za-z0-9+/]{43}=$", Pool.CurrentKeyId);
        Assert.Equal([Pool.CurrentKeyId], Pool.PublishedKeyIds);
        Assert.Equal(0, Pool.JwksRequestCount);
    }

    [Fact]
    public void TwoPoolsHaveDifferentKeysAndClientIds()
    {
        using var other = new LocalUserPool();
        Assert.NotEqual(Pool.CurrentKeyId, other.CurrentKeyId);
        Assert.NotEqual(Pool.DefaultClientId, other.DefaultClientId);
        Assert.False(Verifies(other.MintAccessToken(), Pool.GetJwksJson()));
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
