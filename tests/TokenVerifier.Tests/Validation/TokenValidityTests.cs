using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Validation;

/// <summary>
/// A stated <see cref="UserPoolValidationOptions.TokenValidity"/> is enforced: revocation entries live that long, so a token
/// living longer would come back once its revocation is gone.
/// </summary>
public sealed class TokenValidityTests
{
    [Fact]
    public async Task A_token_living_longer_than_the_stated_validity_is_an_invalid_claim()
    {
        using var t = new TestPool(o => o.TokenValidity = TimeSpan.FromHours(1));

        var result = await t.ValidateAsync(t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1) }));

        Assert.Equal(TokenFailure.InvalidClaim, result.Failure);
        Assert.Equal("The token lives longer (exp - iat) than the configured TokenValidity.", result.FailureMessage);
    }

    [Fact]
    public async Task A_token_living_exactly_the_stated_validity_is_accepted()
    {
        using var t = new TestPool(o => o.TokenValidity = TimeSpan.FromHours(1));
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromHours(1) })));
    }

    [Fact]
    public async Task Without_a_stated_validity_any_lifetime_is_accepted()
    {
        using var t = new TestPool();
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromHours(24) })));
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("1.00:00:01")]
    public void A_validity_outside_Cognitos_range_is_refused(string validity)
    {
        var options = new UserPoolValidationOptions { UserPoolId = "us-east-1_AbC123", ClientIds = ["client"], TokenValidity = TimeSpan.Parse(validity, System.Globalization.CultureInfo.InvariantCulture) };
        Assert.Contains("TokenValidity must be positive and at most 24 hours (Cognito's range is 5 minutes to 24 hours).", options.Validate());
    }
}
