namespace TokenVerifier.Tests.Validation;

public sealed class OptionsTests
{
    private static UserPoolValidationOptions Valid() => new() { UserPoolId = "eu-central-1_AbC123", ClientIds = ["client1"] };

    [Fact]
    public void A_pool_accepts_both_Cognito_issuer_forms_and_fetches_from_the_first()
    {
        var pool = Valid().GetAllPools().Single();
        Assert.Equal("eu-central-1", pool.EffectiveRegion);
        Assert.Equal(
            ["https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_AbC123", "https://issuer-cognito-idp.eu-central-1.amazonaws.com/eu-central-1_AbC123"],
            pool.GetIssuers());
        Assert.Equal(new Uri("https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_AbC123/.well-known/jwks.json"), pool.GetJwksUri());
    }

    [Fact]
    public void An_issuer_override_replaces_both_forms_and_derives_the_jwks_address()
    {
        var options = Valid();
        options.Issuer = "http://127.0.0.1:9229/local_abc";
        options.UserPoolId = "local_abc";
        Assert.Empty(options.Validate());
        var pool = options.GetAllPools().Single();
        Assert.Equal(["http://127.0.0.1:9229/local_abc"], pool.GetIssuers());
        Assert.Equal(new Uri("http://127.0.0.1:9229/local_abc/.well-known/jwks.json"), pool.GetJwksUri());
    }

    [Fact]
    public void Valid_options_have_no_errors() => Assert.Empty(Valid().Validate());

    [Theory]
    [InlineData("us-east-1_", "is not a Cognito pool id")]
    [InlineData("useast1_AbC", "is not a Cognito pool id")]
    [InlineData("us-east-1_Ab-C", "is not a Cognito pool id")]
    public void Bad_pool_ids_are_named(string poolId, string message)
    {
        var options = Valid();
        options.UserPoolId = poolId;
        Assert.Contains(options.Validate(), e => e.Contains(message, StringComparison.Ordinal) && e.Contains(poolId, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://keys.example.com/jwks.json", true)]
    [InlineData("http://localhost:8080/jwks.json", false)]
    [InlineData("http://127.0.0.1:8080/jwks.json", false)]
    [InlineData("http://[::1]:8080/jwks.json", false)]
    [InlineData("https://keys.example.com/jwks.json", false)]
    [InlineData("ftp://keys.example.com/jwks.json", true)]
    [InlineData("/relative/jwks.json", true)]
    public void Jwks_addresses_must_be_https_off_loopback(string address, bool rejected)
    {
        var options = Valid();
        options.JwksUri = address;
        Assert.Equal(rejected, options.Validate().Any(e => e.Contains("JwksUri", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_empty_client_list_needs_AllowAnyClient_said_explicitly()
    {
        var options = Valid();
        options.ClientIds.Clear();
        Assert.Contains(options.Validate(), e => e.Contains("ClientIds is empty", StringComparison.Ordinal));
        options.AllowAnyClient = true;
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void No_pool_at_all_is_an_error()
    {
        Assert.Equal(["No user pool is configured: set UserPoolId (and ClientIds), or add entries to Pools."], new UserPoolValidationOptions().Validate());
    }

    [Fact]
    public void Extra_pools_are_labelled_by_index()
    {
        var options = Valid();
        options.Pools.Add(new UserPoolOptions { UserPoolId = "us-west-2_Second1", ClientIds = ["c2"] });
        options.Pools.Add(new UserPoolOptions { UserPoolId = "bad" , ClientIds = ["c3"] });
        Assert.Equal(3, options.GetAllPools().Count);
        Assert.Single(options.Validate(), e => e.StartsWith("Pools[1]:", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_pool_twice_is_an_error()
    {
        var options = Valid();
        options.Pools.Add(new UserPoolOptions { UserPoolId = "eu-central-1_AbC123", ClientIds = ["c2"] });
        Assert.Contains(options.Validate(), e => e.Contains("configured twice", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(301)]
    public void Clock_skew_is_capped_at_five_minutes(int seconds)
    {
        var options = Valid();
        options.ClockSkew = TimeSpan.FromSeconds(seconds);
        Assert.Contains(options.Validate(), e => e.StartsWith("ClockSkew", StringComparison.Ordinal));
    }

    [Fact]
    public void The_token_use_default_is_access_only_and_binding_does_not_append_to_it()
    {
        var options = Valid();
        Assert.Equal(["access"], options.GetTokenUses());
        options.TokenUse.Add("id");
        Assert.Equal(["id"], options.GetTokenUses());
    }

    [Fact]
    public void The_validator_refuses_invalid_options_with_every_problem_listed()
    {
        var options = new UserPoolValidationOptions { UserPoolId = "bad", ClockSkew = TimeSpan.FromHours(1) };
        var error = Assert.Throws<ArgumentException>(() => new TokenVerifier.Validation.UserPoolTokenValidator(options, new TokenVerifier.Keys.SigningKeyCacheRegistry(() => new HttpClient())));
        Assert.Contains("is not a Cognito pool id", error.Message, StringComparison.Ordinal);
        Assert.Contains("ClientIds is empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("ClockSkew", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("us-east-1_AbC123\n")]
    [InlineData("us-east-1_AbC123\r\n")]
    public void A_pool_id_with_a_trailing_newline_is_refused(string poolId)
    {
        var options = Valid();
        options.UserPoolId = poolId;
        options.Region = null;
        Assert.Contains(options.Validate(), e => e.Contains("is not a Cognito pool id", StringComparison.Ordinal));
    }

    [Fact]
    public void A_region_with_a_trailing_newline_is_refused()
    {
        var options = Valid();
        options.Region = "eu-central-1\n";
        Assert.Contains(options.Validate(), e => e.Contains("is not an AWS region name", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    public void A_kid_miss_refresh_interval_under_a_second_is_refused(int milliseconds)
    {
        var options = Valid();
        options.KidMissRefreshInterval = TimeSpan.FromMilliseconds(milliseconds);
        Assert.Contains(options.Validate(), e => e.StartsWith("KidMissRefreshInterval must be at least 1 s", StringComparison.Ordinal));
        options.KidMissRefreshInterval = TimeSpan.FromSeconds(1);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void AllowAnyClient_with_listed_clients_is_refused_for_the_top_level_pool_and_for_Pools()
    {
        var options = Valid();
        options.AllowAnyClient = true;
        options.Pools.Add(new UserPoolOptions { UserPoolId = "us-west-2_Second1", ClientIds = ["c2"], AllowAnyClient = true });
        var errors = options.Validate();
        Assert.Contains(errors, e => e.StartsWith("UserPool: AllowAnyClient = true", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Pools[0]: AllowAnyClient = true", StringComparison.Ordinal));
    }
}
