using TokenVerifier.Keys;
using TokenVerifier.Tests.Security;
using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Keys;

/// <summary>A key set given in the options instead of fetched, under the validator alone (no host, no HTTP client that works).</summary>
public sealed class ConfiguredKeySetTests
{
    [Fact]
    public async Task An_inline_set_is_vetted_like_a_fetched_one_and_a_token_of_a_refused_key_is_InvalidKey_without_any_request()
    {
        using var small = System.Security.Cryptography.RSA.Create(1024);
        using var t = new TestPool();
        var options = new UserPoolValidationOptions
        {
            UserPoolId = t.Pool.UserPoolId,
            ClientIds = [t.Pool.DefaultClientId],
            Jwks = Forge.EditKeySet(t.Pool.GetJwksJson(), null, Forge.Jwk(small, "weak-1024")),
        };
        var requests = 0;
        using var registry = new SigningKeyCacheRegistry(() => { requests++; throw new InvalidOperationException("a configured set must not be fetched"); }, t.Time);
        var validator = new UserPoolTokenValidator(options, registry, t.Time);

        Assert.Equal(TokenFailure.None, (await validator.ValidateAsync(t.Pool.MintAccessToken())).Failure);
        var weak = await validator.ValidateAsync(Forge.Rs256(small, "{\"alg\":\"RS256\",\"kid\":\"weak-1024\"}", RawTokens.AccessPayload(t)));
        Assert.Equal(TokenFailure.InvalidKey, weak.Failure);
        Assert.Equal("The token's signing key was refused: modulus shorter than 2048 bits.", weak.FailureMessage);

        var status = validator.KeyCaches[0].GetStatus();
        Assert.Equal("urn", status.JwksUri.Scheme);
        Assert.Equal(TestPool.Start, status.KeySetDate);
        Assert.Equal(0, requests);
        Assert.Equal(0, t.Network.Count);
    }

    [Fact]
    public void Validate_names_the_pool_and_the_setting_of_a_bad_configured_set()
    {
        var options = new UserPoolValidationOptions { UserPoolId = "us-east-1_Abc1", ClientIds = ["c"], Jwks = "{\"keys\": []}" };
        options.Pools.Add(new UserPoolOptions { UserPoolId = "eu-west-1_Abc2", ClientIds = ["c"], JwksFile = "/nonexistent/jwks.json" });

        var errors = options.Validate();

        Assert.Contains("UserPool: Jwks has no usable RS256 signing key.", errors);
        Assert.Contains(errors, e => e.StartsWith("Pools[0]: JwksFile '/nonexistent/jwks.json' cannot be read (", StringComparison.Ordinal));
    }
}
