using TokenVerifier.Claims;
using TokenVerifier.Testing;
using TokenVerifier.Tests.Validation;

namespace TokenVerifier.Tests.Tenants;

public sealed class PoolIdTests
{
    [Fact]
    public async Task ValidatedTokenCarriesTheConfiguredPoolId()
    {
        using var pool = new TestPool(poolId: "eu-west-1_Tenant1");

        var result = await pool.ValidateAsync(pool.Pool.MintAccessToken());

        Assert.True(result.IsValid, result.FailureMessage);
        Assert.Equal("eu-west-1_Tenant1", result.UserPoolId);
        Assert.Equal("eu-west-1_Tenant1", result.Token!.UserPoolId);
    }

    [Fact]
    public async Task IdentityCarriesThePoolAsAClaimOfTokenVerifiersOwn()
    {
        using var pool = new TestPool(poolId: "eu-west-1_Tenant1");

        var identity = (await pool.ValidateAsync(pool.Pool.MintAccessToken())).Identity!;

        var claim = Assert.Single(identity.FindAll(UserPoolClaimTypes.UserPool));
        Assert.Equal("eu-west-1_Tenant1", claim.Value);
        Assert.Equal(UserPoolClaimTypes.TokenVerifierIssuer, claim.Issuer);
        Assert.Equal(UserPoolClaimTypes.TokenVerifierIssuer, claim.OriginalIssuer);
    }

    [Fact]
    public async Task PoolClaimNamedInTheTokenKeepsTheTokensIssuerAndComesSecond()
    {
        using var pool = new TestPool(poolId: "eu-west-1_Tenant1");
        var options = new LocalTokenOptions();
        options.AdditionalClaims[UserPoolClaimTypes.UserPool] = "eu-west-1_Victim";

        var result = await pool.ValidateAsync(pool.Pool.MintAccessToken(options));

        Assert.Equal("eu-west-1_Tenant1", result.UserPoolId);
        var claims = result.Identity!.FindAll(UserPoolClaimTypes.UserPool).ToList();
        Assert.Equal(2, claims.Count);
        Assert.Equal(("eu-west-1_Tenant1", UserPoolClaimTypes.TokenVerifierIssuer), (claims[0].Value, claims[0].Issuer));
        Assert.Equal(("eu-west-1_Victim", pool.Pool.Issuer), (claims[1].Value, claims[1].Issuer));
        Assert.Equal("eu-west-1_Tenant1", result.Identity.FindFirst(UserPoolClaimTypes.UserPool)!.Value);
    }

    [Fact]
    public async Task TokenServedFromTheCacheCarriesThePoolIdToo()
    {
        using var pool = new TestPool(poolId: "eu-west-1_Tenant1");
        var token = pool.Pool.MintAccessToken();
        await pool.ValidateAsync(token);

        var again = await pool.ValidateAsync(token);

        Assert.Equal(1, pool.Validator.CacheStatistics.Hits);
        Assert.Equal("eu-west-1_Tenant1", again.UserPoolId);
        Assert.True(again.Identity!.HasClaim(UserPoolClaimTypes.UserPool, "eu-west-1_Tenant1"));
    }

    [Fact]
    public async Task HasClaimSeesThePoolClaimBeforeTheClaimsAreBuilt()
    {
        using var pool = new TestPool(poolId: "eu-west-1_Tenant1");

        var identity = (UserPoolClaimsIdentity)(await pool.ValidateAsync(pool.Pool.MintAccessToken())).Identity!;

        Assert.True(identity.HasClaim(UserPoolClaimTypes.UserPool, "eu-west-1_Tenant1"));
        Assert.False(identity.ClaimsCreated);
    }
}
