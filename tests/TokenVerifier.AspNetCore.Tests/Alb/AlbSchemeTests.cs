using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.Revocation;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Alb;

/// <summary>The ALB scheme end to end: headers as the ALB forwards them, through the authentication middleware and authorization.</summary>
public sealed class AlbSchemeTests : IDisposable
{
    private readonly LocalUserPool _pool = new();
    private readonly LocalAlb _alb;

    public AlbSchemeTests()
    {
        _alb = new LocalAlb(_pool);
    }

    public void Dispose()
    {
        _alb.Dispose();
        _pool.Dispose();
    }

    [Fact]
    public async Task A_request_as_the_ALB_forwards_it_is_authenticated_with_the_data_claims_and_the_access_token_groups_and_scopes()
    {
        await using var host = await AlbHost.StartAsync(_pool, _alb);
        var (data, access, identity) = SignIn(groups: ["admins"], scopes: ["orders/read"]);

        using var response = await host.GetAsync("/alb/me", data, access, identity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var me = body.RootElement;
        Assert.Equal("alice", me.GetProperty("name").GetString());
        Assert.Equal(identity, me.GetProperty("sub").GetString());
        Assert.Equal("alice@example.com", me.GetProperty("email").GetString());
        Assert.Equal(["admins"], me.GetProperty("groups").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["orders/read"], me.GetProperty("scopes").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Groups_from_the_access_token_drive_role_checks()
    {
        await using var host = await AlbHost.StartAsync(_pool, _alb);
        var (data, access, identity) = SignIn(groups: ["readers"]);

        using var response = await host.GetAsync("/alb/admin", data, access, identity);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_request_without_ALB_headers_is_challenged_without_a_failure()
    {
        await using var host = await AlbHost.StartAsync(_pool, _alb);

        using var response = await host.GetAsync("/alb/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains(AlbHost.FailureHeader));
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().ToString());
    }

    [Fact]
    public async Task A_refused_request_gets_a_401_naming_the_failure_without_the_token()
    {
        await using var host = await AlbHost.StartAsync(_pool, _alb);
        var data = _alb.MintData(new LocalAlbTokenOptions { Client = "someoneelse" });

        using var response = await host.GetAsync("/alb/me", data, identity: "alb-user");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("InvalidClient/None", Failure(response));
        var challenge = response.Headers.WwwAuthenticate.Single().ToString();
        Assert.StartsWith("Bearer error=\"invalid_token\", error_description=\"", challenge, StringComparison.Ordinal);
        Assert.DoesNotContain(data.Split('.')[1][..20], challenge, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("someone-else")]
    [InlineData("")]
    public async Task An_identity_header_that_is_not_the_data_token_subject_is_refused(string? identity)
    {
        await using var host = await AlbHost.StartAsync(_pool, _alb);
        var (data, access, _) = SignIn();

        using var response = await host.GetAsync("/alb/me", data, access, identity);

        Assert.Equal("IdentityMismatch/None", Failure(response));
    }

    [Fact]
    public async Task A_request_without_the_access_token_is_refused()
    {
        await using var host = await AlbHost.StartAsync(_pool, _alb);
        var (data, _, identity) = SignIn();

        using var response = await host.GetAsync("/alb/me", data, identity: identity);

        Assert.Equal("MissingAccessToken/None", Failure(response));
    }

    [Fact]
    public async Task An_access_token_of_another_user_is_refused()
    {
        await using var host = await AlbHost.StartAsync(_pool, _alb);
        var (data, _, identity) = SignIn();
        var other = _pool.MintAccessToken(new LocalTokenOptions { Username = "mallory", ClientId = _alb.ClientId });

        using var response = await host.GetAsync("/alb/me", data, other, identity);

        Assert.Equal("SubjectMismatch/None", Failure(response));
    }

    [Fact]
    public async Task An_expired_access_token_is_refused_with_its_own_reason()
    {
        await using var host = await AlbHost.StartAsync(_pool, _alb);
        var (data, _, identity) = SignIn();
        var expired = _pool.MintExpiredAccessToken(TimeSpan.FromMinutes(1), new LocalTokenOptions { Subject = identity, ClientId = _alb.ClientId });

        using var response = await host.GetAsync("/alb/me", data, expired, identity);

        Assert.Equal("AccessTokenRejected/Expired", Failure(response));
    }

    [Fact]
    public async Task An_access_token_of_another_app_client_is_refused()
    {
        await using var host = await AlbHost.StartAsync(_pool, _alb);
        var (data, _, identity) = SignIn();
        var other = _pool.MintAccessToken(new LocalTokenOptions { Subject = identity, ClientId = "anotherclient" });

        using var response = await host.GetAsync("/alb/me", data, other, identity);

        Assert.Equal("AccessTokenRejected/InvalidClient", Failure(response));
    }

    [Fact]
    public async Task A_revoked_sign_in_is_refused_even_with_a_valid_data_token()
    {
        await using var host = await AlbHost.StartAsync(_pool, _alb);
        var signIn = _pool.SignIn(new LocalTokenOptions { ClientId = _alb.ClientId });
        var data = _alb.MintData(new LocalAlbTokenOptions { Subject = signIn.Subject });
        await host.Services.GetRequiredService<IRevocationStore>().RevokeSignInAsync(signIn.OriginJti);

        using var response = await host.GetAsync("/alb/me", data, signIn.AccessToken, signIn.Subject);

        Assert.Equal("AccessTokenRejected/Revoked", Failure(response));
    }

    [Fact]
    public async Task With_the_access_token_check_off_the_data_token_alone_authenticates()
    {
        await using var host = await AlbHost.StartAsync(_pool, _alb, o => o.ValidateAccessToken = false);
        var data = _alb.MintData();

        using var response = await host.GetAsync("/alb/me", data, identity: "alb-user");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(0, body.RootElement.GetProperty("groups").GetArrayLength());
    }

    [Fact]
    public async Task Two_data_headers_are_refused()
    {
        await using var host = await AlbHost.StartAsync(_pool, _alb);
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
        await using var host = await AlbHost.StartAsync(_pool, _alb);
        var (_, access, identity) = SignIn();

        using var response = await host.GetAsync("/alb/me", access, access, identity);

        Assert.Equal("Malformed/None", Failure(response));
    }

    [Fact]
    public async Task An_ALB_data_token_presented_as_a_bearer_token_is_refused_by_the_bearer_scheme()
    {
        await using var host = await AlbHost.StartAsync(_pool, _alb);
        var (data, _, _) = SignIn();

        using var response = await host.GetAsync("/bearer/me", bearer: data);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.Single().ToString(), StringComparison.Ordinal);
        Assert.Equal(0, _alb.KeyRequestCount);
    }

    [Fact]
    public async Task ALB_headers_do_not_authenticate_on_the_bearer_scheme()
    {
        await using var host = await AlbHost.StartAsync(_pool, _alb);
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
        await using var host = await AlbHost.StartAsync(_pool, _alb);
        var data = _alb.MintData(new LocalAlbTokenOptions { Signer = signer });

        using var response = await host.GetAsync("/alb/me", data, identity: "alb-user");

        Assert.Equal("UntrustedSigner/None", Failure(response));
        Assert.Equal(0, _alb.KeyRequestCount);
    }

    [Fact]
    public async Task An_unknown_kid_costs_exactly_one_fetch_across_requests()
    {
        await using var host = await AlbHost.StartAsync(_pool, _alb);
        var data = _alb.MintData(new LocalAlbTokenOptions { KeyId = "0b7e2a8e-0000-4000-8000-000000000000" });

        for (var i = 0; i < 5; i++)
        {
            using var response = await host.GetAsync("/alb/me", data, identity: "alb-user");
            Assert.Equal("KeyNotFound/None", Failure(response));
        }

        Assert.Equal(1, _alb.KeyRequestCount);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData("%2F")]
    [InlineData("k?x=1")]
    public async Task A_kid_that_could_change_the_URL_is_refused_end_to_end_without_a_fetch(string kid)
    {
        await using var host = await AlbHost.StartAsync(_pool, _alb);

        using var response = await host.GetAsync("/alb/me", _alb.MintData(new LocalAlbTokenOptions { KeyId = kid }), identity: "alb-user");

        Assert.Equal("InvalidKeyId/None", Failure(response));
        Assert.Equal(0, _alb.KeyRequestCount);
    }

    [Fact]
    public async Task A_key_endpoint_outage_is_a_503_with_Retry_After()
    {
        await using var host = await AlbHost.StartAsync(_pool, _alb);
        _alb.KeyFailureStatus = HttpStatusCode.ServiceUnavailable;
        var (data, access, identity) = SignIn();

        using var response = await host.GetAsync("/alb/me", data, access, identity);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("1", response.Headers.RetryAfter!.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task The_key_is_fetched_from_the_endpoint_of_the_configured_signer_region()
    {
        await using var host = await AlbHost.StartAsync(_pool, _alb);
        var (data, access, identity) = SignIn();

        (await host.GetAsync("/alb/me", data, access, identity)).Dispose();

        Assert.Equal(new Uri($"https://public-keys.auth.elb.us-east-1.amazonaws.com/{_alb.KeyId}"), Assert.Single(_alb.KeyRequests));
    }

    [Fact]
    public async Task An_overridden_endpoint_is_used_with_the_signer_region()
    {
        var endpoint = "https://s3-{region}.amazonaws.com/aws-elb-public-keys-prod-{region}";
        using var alb = new LocalAlb(_pool.Issuer, _pool.DefaultClientId, keyEndpoint: new Uri("https://s3-us-east-1.amazonaws.com/aws-elb-public-keys-prod-us-east-1/"));
        await using var host = await AlbHost.StartAsync(_pool, alb, o => o.PublicKeyEndpoint = endpoint);
        var signIn = _pool.SignIn();
        var data = alb.MintData(new LocalAlbTokenOptions { Subject = signIn.Subject });

        using var response = await host.GetAsync("/alb/me", data, signIn.AccessToken, signIn.Subject);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Uri($"https://s3-us-east-1.amazonaws.com/aws-elb-public-keys-prod-us-east-1/{alb.KeyId}"), Assert.Single(alb.KeyRequests));
    }

    [Fact]
    public async Task No_log_line_carries_a_token()
    {
        await using var host = await AlbHost.StartAsync(_pool, _alb);
        var (data, access, identity) = SignIn();
        var tokens = new[] { data, access, _alb.MintData(new LocalAlbTokenOptions { Client = "x" }), _alb.MintData(new LocalAlbTokenOptions { KeyId = "00000000-dead-beef-0000-000000000000" }) };
        foreach (var token in tokens)
        {
            (await host.GetAsync("/alb/me", token, access, identity)).Dispose();
        }

        var records = host.Logs.Collector.GetSnapshot();
        Assert.Contains(records, r => r.Id.Id == 7001);
        Assert.Contains(records, r => r.Id.Id == 7002);
        var fragments = tokens.SelectMany(t => t.Split('.')).Where(s => s.Length >= 8).Distinct().ToArray();
        foreach (var record in records)
        {
            var texts = (record.StructuredState ?? []).Select(kv => kv.Value ?? "").Append(record.Message).Append(record.Exception?.ToString() ?? "");
            Assert.DoesNotContain(texts, text => fragments.Any(f => text.Contains(f, StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task Options_are_validated_at_start_naming_every_problem()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AlbHost.StartAsync(_pool, _alb, o =>
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
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AlbHost.StartAsync(_pool, _alb, o => o.PublicKeyEndpoint = endpoint));

        Assert.Contains("PublicKeyEndpoint", string.Join("\n", error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_allowed_signer_is_a_start_up_error()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AlbHost.StartAsync(_pool, _alb, o => o.AllowedSigners.Clear()));

        Assert.Contains("AllowedSigners is empty", string.Join("\n", error.Failures), StringComparison.Ordinal);
    }

    private static string? Failure(HttpResponseMessage response) =>
        response.Headers.TryGetValues(AlbHost.FailureHeader, out var values) ? values.Single() : null;

    private (string Data, string Access, string Identity) SignIn(string[]? groups = null, string[]? scopes = null)
    {
        var options = new LocalTokenOptions { ClientId = _alb.ClientId };
        foreach (var group in groups ?? [])
        {
            options.Groups.Add(group);
        }

        foreach (var scope in scopes ?? [])
        {
            options.Scopes.Add(scope);
        }

        var signIn = _pool.SignIn(options);
        var data = _alb.MintData(new LocalAlbTokenOptions { Subject = signIn.Subject, Username = signIn.Username, Email = "alice@example.com" });
        return (data, signIn.AccessToken, signIn.Subject);
    }
}
