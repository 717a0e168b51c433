using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.Revocation;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Alb;

/// <summary>The ALB scheme's options are checked when the application starts, naming every problem.</summary>
public sealed class AlbSchemeOptionsTests : AlbSchemeTestBase
{
    [Fact]
    public async Task Options_are_validated_at_start_naming_every_problem()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AlbHost.StartAsync(Pool, Alb, o =>
        {
            o.AllowedSigners.Clear();
            o.AllowedSigners.Add("arn:aws:elasticloadbalancing:us-east-1.evil.com:123456789012:loadbalancer/app/a/0123abcd");
            o.AllowedSigners.Add("arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:loadbalancer/app/a/0123abcd");
            o.ClientId = null;
            o.UserPoolId = "not-a-pool";
            o.ClockSkew = TimeSpan.FromHours(1);
        }));

        var messages = string.Join("\n", error.Failures);
        Assert.Contains("has no valid region", messages, StringComparison.Ordinal);
        Assert.Contains("partition aws-us-gov", messages, StringComparison.Ordinal);
        Assert.Contains("ClientId is required", messages, StringComparison.Ordinal);
        Assert.Contains("is not a Cognito pool id", messages, StringComparison.Ordinal);
        Assert.Contains("ClockSkew", messages, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://keys.example.com/")]
    [InlineData("https://keys.example.com/?kid=")]
    [InlineData("keys")]
    public async Task A_key_endpoint_that_is_not_https_without_query_is_a_start_up_error(string endpoint)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AlbHost.StartAsync(Pool, Alb, o => o.PublicKeyEndpoint = endpoint));

        Assert.Contains("PublicKeyEndpoint", string.Join("\n", error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_allowed_signer_is_a_start_up_error()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AlbHost.StartAsync(Pool, Alb, o => o.AllowedSigners.Clear()));

        Assert.Contains("AllowedSigners is empty", string.Join("\n", error.Failures), StringComparison.Ordinal);
    }
}
