using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.Revocation;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Alb;

/// <summary>Hostile requests to the ALB scheme end to end: tokens of the other scheme, foreign signers, kids, key endpoint faults, logs.</summary>
public sealed class AlbSchemeHostileTests : AlbSchemeTestBase
{
    [Fact]
    public async Task Two_data_headers_are_refused()
    {
        await using var host = await AlbHost.StartAsync(Pool, Alb);
        var (data, access, identity) = SignIn();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/alb/me");
        request.Headers.TryAddWithoutValidation("x-amzn-oidc-data", [data, data]);
        request.Headers.TryAddWithoutValidation("x-amzn-oidc-accesstoken", access);
        request.Headers.TryAddWithoutValidation("x-amzn-oidc-identity", identity);

        using var response = await host.SendAsync(request);

        Assert.Equal("Malformed/None", Failure(response));
    }

    [Fact]
    public async Task A_bearer_token_presented_as_ALB_data_is_refused()
    {
        await using var host = await AlbHost.StartAsync(Pool, Alb);
        var (_, access, identity) = SignIn();

        using var response = await host.GetAsync("/alb/me", access, access, identity);

        Assert.Equal("Malformed/None", Failure(response));
    }

    [Fact]
    public async Task An_ALB_data_token_presented_as_a_bearer_token_is_refused_by_the_bearer_scheme()
    {
        await using var host = await AlbHost.StartAsync(Pool, Alb);
        var (data, _, _) = SignIn();

        using var response = await host.GetAsync("/bearer/me", bearer: data);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.Single().ToString(), StringComparison.Ordinal);
        Assert.Equal(0, Alb.KeyRequestCount);
    }

    [Fact]
    public async Task ALB_headers_do_not_authenticate_on_the_bearer_scheme()
    {
        await using var host = await AlbHost.StartAsync(Pool, Alb);
        var (data, access, identity) = SignIn();

        using var response = await host.GetAsync("/bearer/me", data, access, identity);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().ToString());
    }

    [Theory]
    [InlineData("arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/local-alb/50dc6c495c0c9188")]
    [InlineData("arn:aws:elasticloadbalancing:us-east-1:999999999999:loadbalancer/app/local-alb/50dc6c495c0c9188")]
    public async Task A_token_signed_by_a_load_balancer_of_another_region_or_account_is_refused(string signer)
    {
        await using var host = await AlbHost.StartAsync(Pool, Alb);
        var data = Alb.MintData(new LocalAlbTokenOptions { Signer = signer });

        using var response = await host.GetAsync("/alb/me", data, identity: "alb-user");

        Assert.Equal("UntrustedSigner/None", Failure(response));
        Assert.Equal(0, Alb.KeyRequestCount);
    }

    [Fact]
    public async Task An_unknown_kid_costs_exactly_one_fetch_across_requests()
    {
        await using var host = await AlbHost.StartAsync(Pool, Alb);
        var data = Alb.MintData(new LocalAlbTokenOptions { KeyId = "0b7e2a8e-0000-4000-8000-000000000000" });

        for (var i = 0; i < 5; i++)
        {
            using var response = await host.GetAsync("/alb/me", data, identity: "alb-user");
            Assert.Equal("KeyNotFound/None", Failure(response));
        }

        Assert.Equal(1, Alb.KeyRequestCount);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData("%2F")]
    [InlineData("k?x=1")]
    public async Task A_kid_that_could_change_the_URL_is_refused_end_to_end_without_a_fetch(string kid)
    {
        await using var host = await AlbHost.StartAsync(Pool, Alb);

        using var response = await host.GetAsync("/alb/me", Alb.MintData(new LocalAlbTokenOptions { KeyId = kid }), identity: "alb-user");

        Assert.Equal("InvalidKeyId/None", Failure(response));
        Assert.Equal(0, Alb.KeyRequestCount);
    }

    [Fact]
    public async Task A_key_endpoint_outage_is_a_503_with_Retry_After()
    {
        await using var host = await AlbHost.StartAsync(Pool, Alb);
        Alb.KeyFailureStatus = HttpStatusCode.ServiceUnavailable;
        var (data, access, identity) = SignIn();

        using var response = await host.GetAsync("/alb/me", data, access, identity);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("1", response.Headers.RetryAfter!.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task The_key_is_fetched_from_the_endpoint_of_the_configured_signer_region()
    {
        await using var host = await AlbHost.StartAsync(Pool, Alb);
        var (data, access, identity) = SignIn();

        (await host.GetAsync("/alb/me", data, access, identity)).Dispose();

        Assert.Equal(new Uri($"https://public-keys.auth.elb.us-east-1.amazonaws.com/{Alb.KeyId}"), Assert.Single(Alb.KeyRequests));
    }

    [Fact]
    public async Task An_overridden_endpoint_is_used_with_the_signer_region()
    {
        var endpoint = "https://s3-{region}.amazonaws.com/aws-elb-public-keys-prod-{region}";
        using var alb = new LocalAlb(Pool.Issuer, Pool.DefaultClientId, keyEndpoint: new Uri("https://s3-us-east-1.amazonaws.com/aws-elb-public-keys-prod-us-east-1/"));
        await using var host = await AlbHost.StartAsync(Pool, alb, o => o.PublicKeyEndpoint = endpoint);
        var signIn = Pool.SignIn();
        var data = alb.MintData(new LocalAlbTokenOptions { Subject = signIn.Subject });

        using var response = await host.GetAsync("/alb/me", data, signIn.AccessToken, signIn.Subject);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Uri($"https://s3-us-east-1.amazonaws.com/aws-elb-public-keys-prod-us-east-1/{alb.KeyId}"), Assert.Single(alb.KeyRequests));
    }

    [Fact]
    public async Task No_log_line_carries_a_token()
    {
        await using var host = await AlbHost.StartAsync(Pool, Alb);
        var (data, access, identity) = SignIn();
        var tokens = new[] { data, access, Alb.MintData(new LocalAlbTokenOptions { Client = "x" }), Alb.MintData(new LocalAlbTokenOptions { KeyId = "00000000-dead-beef-0000-000000000000" }) };
        foreach (var token in tokens)
        {
            (await host.GetAsync("/alb/me", token, access, identity)).Dispose();
        }

        var records = host.Logs.Collector.GetSnapshot();
        Assert.Contains(records, r => r.Id.Id == 7201);
        Assert.Contains(records, r => r.Id.Id == 7202);
        var fragments = tokens.SelectMany(t => t.Split('.')).Where(s => s.Length >= 8).Distinct().ToArray();
        foreach (var record in records)
        {
            var texts = (record.StructuredState ?? []).Select(kv => kv.Value ?? "").Append(record.Message).Append(record.Exception?.ToString() ?? "");
            Assert.DoesNotContain(texts, text => fragments.Any(f => text.Contains(f, StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task An_outage_of_the_pool_keys_for_the_access_token_is_a_503()
    {
        Pool.JwksFailureStatus = HttpStatusCode.InternalServerError;
        await using var host = await AlbHost.StartAsync(Pool, Alb);
        var (data, access, identity) = SignIn();

        using var response = await host.GetAsync("/alb/me", data, access, identity);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("AccessTokenRejected/KeysUnavailable", Failure(response));
    }
}
