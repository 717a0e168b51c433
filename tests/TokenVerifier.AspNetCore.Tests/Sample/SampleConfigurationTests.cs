using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Sample;

/// <summary>The sample with a real pool configured, or misconfigured: what a deployment sees.</summary>
public sealed class SampleConfigurationTests
{
    private static WebApplicationFactory<Program> With(string environment, params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });

    [Fact]
    public async Task With_a_real_pool_configured_the_dev_endpoint_does_not_exist_and_local_tokens_are_rejected()
    {
        await using var factory = With(
            "Development",
            ("UserPool:UserPoolId", "us-east-1_RealPool9"),
            ("UserPool:ClientIds:0", "realclient000000000000000a"),
            ("UserPool:JwksUri", "http://127.0.0.1:9/never-fetched.json"));
        var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync(new Uri("/dev/token", UriKind.Relative), null)).StatusCode);

        using var local = new LocalUserPool("us-east-1_LocalDev1");
        client.DefaultRequestHeaders.Authorization = new("Bearer", local.MintAccessToken());
        var response = await client.GetAsync(new Uri("/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("issuer is not a configured user pool", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    // When the app's start fails, WebApplicationFactory's deferred host can lose a race with the failing entry point and
    // throw ObjectDisposedException (from its own service lookup) instead of the start's error. Only that race is retried,
    // with a fresh factory each time; a start that succeeds, or fails for another reason, still fails the test.
    private static OptionsValidationException StartFailure(string environment, params (string Key, string Value)[] settings)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var factory = With(environment, settings);
            var error = Record.Exception(() => factory.CreateClient());
            if (error is ObjectDisposedException && attempt < 5)
            {
                continue;
            }

            return Assert.IsType<OptionsValidationException>(error);
        }
    }

    [Fact]
    public void In_production_without_a_pool_the_app_does_not_start()
    {
        var error = StartFailure("Production");
        Assert.Contains("No user pool is configured", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UserPool:UserPoolId", "not-a-pool", "is not a Cognito pool id")]
    [InlineData("UserPool:ClientIds:0", "", "ClientIds contains an empty entry")]
    [InlineData("UserPool:JwksUri", "http://keys.example.com/jwks.json", "uses http off loopback")]
    [InlineData("UserPool:Region", "eu-west-1", "does not match the region prefix")]
    [InlineData("UserPool:TokenUse:0", "refresh", "TokenUse 'refresh' is not valid")]
    [InlineData("UserPool:ClockSkew", "00:10:00", "ClockSkew must be between 0 and 5 minutes")]
    [InlineData("UserPool:KidMissRefreshInterval", "00:00:00", "KidMissRefreshInterval must be at least 1 s")]
    [InlineData("UserPool:AllowAnyClient", "true", "AllowAnyClient = true accepts every app client")]
    [InlineData("UserPool:ClientId", "realclient000000000000000a", "'UserPool:ClientId' is not a user pool setting")]
    [InlineData("UserPool:Pools:0:ClientId", "realclient000000000000000a", "'UserPool:Pools:0:ClientId' is not a setting of a pool")]
    [InlineData("UserPool:Revocation:FailureMod", "FailOpen", "'UserPool:Revocation:FailureMod' is not a revocation setting")]
    [InlineData("UserPool:RefusedTokenDelay", "00:00:31", "RefusedTokenDelay must be zero (off) or positive, and at most 30 seconds")]
    [InlineData("UserPool:RefusedTokenDelay", "-00:00:01", "RefusedTokenDelay must be zero (off) or positive, and at most 30 seconds")]
    [InlineData("UserPool:RefusedTokenDelay", "1s", "'UserPool:RefusedTokenDelay' must be a time span, such as 00:00:01")]
    [InlineData("UserPool:RefusedTokensBeforeDelay", "0", "RefusedTokensBeforeDelay must be from 1 to 1000")]
    [InlineData("UserPool:RefusedTokensBeforeDelay", "1001", "RefusedTokensBeforeDelay must be from 1 to 1000")]
    [InlineData("UserPool:RefusedTokensBeforeDelay", "-1", "'UserPool:RefusedTokensBeforeDelay' must be a whole number")]
    public void A_misconfigured_pool_stops_the_start_with_a_message_naming_the_problem(string key, string value, string message)
    {
        var settings = new List<(string, string)> { ("UserPool:UserPoolId", "us-east-1_RealPool9"), ("UserPool:ClientIds:0", "realclient000000000000000a") };
        settings.RemoveAll(s => s.Item1 == key);
        settings.Add((key, value));
        var error = StartFailure("Production", [.. settings]);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("scheme 'UserPool'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pool_without_client_ids_stops_the_start_unless_any_client_is_allowed_explicitly()
    {
        var error = StartFailure("Production", ("UserPool:UserPoolId", "us-east-1_RealPool9"), ("UserPool:JwksUri", "http://127.0.0.1:9/jwks.json"));
        Assert.Contains("ClientIds is empty", error.Message, StringComparison.Ordinal);

        using var allowed = With("Production", ("UserPool:UserPoolId", "us-east-1_RealPool9"), ("UserPool:AllowAnyClient", "true"), ("UserPool:JwksUri", "http://127.0.0.1:9/jwks.json"));
        Assert.NotNull(allowed.CreateClient());
    }
}
