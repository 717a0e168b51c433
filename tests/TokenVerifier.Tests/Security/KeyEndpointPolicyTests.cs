using TokenVerifier.Keys;
using TokenVerifier.Tests.Network;
using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Security;

/// <summary>Keys come over https (plain http only on loopback), within a configurable size and time.</summary>
public sealed class KeyEndpointPolicyTests
{
    [Theory]
    [InlineData("JwksUri", "http://keys.example.com/jwks.json")]
    [InlineData("JwksUri", "http://10.0.0.5/jwks.json")]
    [InlineData("JwksUri", "http://localhost.example.com/jwks.json")]
    [InlineData("Issuer", "http://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123")]
    public void Http_off_loopback_is_refused_for_keys_and_issuers(string setting, string address)
    {
        var options = Options(setting, address);
        Assert.Equal($"UserPool: {setting} '{address}' uses http off loopback; signing keys must be fetched over https (http is allowed only for localhost/127.0.0.1/[::1]).", Assert.Single(options.Validate()));
        Assert.Throws<ArgumentException>(() => new UserPoolTokenValidator(options, new SigningKeyCacheRegistry(() => new HttpClient())));
    }

    [Theory]
    [InlineData("JwksUri", "ftp://keys.example.com/jwks.json")]
    [InlineData("JwksUri", "file:///etc/jwks.json")]
    [InlineData("JwksUri", "/relative/jwks.json")]
    public void Other_schemes_are_refused(string setting, string address) =>
        Assert.Equal($"UserPool: {setting} '{address}' is not an absolute http(s) URL.", Assert.Single(Options(setting, address).Validate()));

    [Theory]
    [InlineData("https://keys.example.com/jwks.json")]
    [InlineData("http://localhost:9229/us-east-1_Abc123/.well-known/jwks.json")]
    [InlineData("http://127.0.0.1:9229/jwks.json")]
    [InlineData("http://[::1]:9229/jwks.json")]
    public void Https_anywhere_and_http_on_loopback_are_accepted(string address) =>
        Assert.Empty(Options("JwksUri", address).Validate());

    [Fact]
    public async Task The_response_size_cap_is_configurable()
    {
        using var t = new TestPool(o => o.JwksMaxResponseBytes = 1024);
        t.Pool.RotateKey();
        t.Pool.RotateKey();
        Assert.InRange(t.Pool.GetJwksJson().Length, 1025, 4096);

        Assert.Equal(TokenFailure.KeysUnavailable, await t.FailureOfAsync(t.Pool.MintAccessToken()));
        Assert.Equal("the response is larger than 1024 bytes", t.Keys.GetStatus().LastError);
    }

    [Fact]
    public async Task The_time_limit_is_configurable()
    {
        // The request waits for the whole fetch here (MaxKeyFetchWait above the time limit), so it sees where the limit cuts.
        using var t = new TestPool(
            o =>
            {
                o.JwksTimeout = TimeSpan.FromMilliseconds(1500);
                o.MaxKeyFetchWait = TimeSpan.FromSeconds(10);
            },
            network: (inner, time) => new FaultHandler(inner, time) { Fault = JwksFault.Timeout });
        var pending = t.Validator.ValidateAsync(t.Pool.MintAccessToken()).AsTask();
        while (t.Network.Count == 0)
        {
            await Task.Delay(2);
        }

        t.Time.Advance(TimeSpan.FromMilliseconds(1499));
        await Task.Delay(50);
        Assert.False(pending.IsCompleted);
        t.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TokenFailure.KeysUnavailable, (await pending).Failure);
        Assert.Equal("no complete response within 1.5 s", t.Keys.GetStatus().LastError);
    }

    private static UserPoolValidationOptions Options(string setting, string address)
    {
        var options = new UserPoolValidationOptions { UserPoolId = "us-east-1_Abc123", ClientIds = ["client"] };
        if (setting == "Issuer")
        {
            options.Issuer = address;
        }
        else
        {
            options.JwksUri = address;
        }

        return options;
    }
}
