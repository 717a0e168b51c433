using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.Revocation;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Alb;

/// <summary>The ALB scheme end to end: headers as the ALB forwards them, through the authentication middleware and authorization.</summary>
public sealed class AlbSchemeTests : AlbSchemeTestBase
{
    [Fact]
    public async Task A_request_as_the_ALB_forwards_it_is_authenticated_with_the_data_claims_and_the_access_token_groups_and_scopes()
    {
        await using var host = await AlbHost.StartAsync(Pool, Alb);
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
        await using var host = await AlbHost.StartAsync(Pool, Alb);
        var (data, access, identity) = SignIn(groups: ["readers"]);

        using var response = await host.GetAsync("/alb/admin", data, access, identity);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_request_without_ALB_headers_is_challenged_without_a_failure()
    {
        await using var host = await AlbHost.StartAsync(Pool, Alb);

        using var response = await host.GetAsync("/alb/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains(AlbHost.FailureHeader));
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().ToString());
    }

    [Fact]
    public async Task A_refused_request_gets_a_401_naming_the_failure_without_the_token()
    {
        await using var host = await AlbHost.StartAsync(Pool, Alb);
        var data = Alb.MintData(new LocalAlbTokenOptions { Client = "someoneelse" });

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
        await using var host = await AlbHost.StartAsync(Pool, Alb);
        var (data, access, _) = SignIn();

        using var response = await host.GetAsync("/alb/me", data, access, identity);

        Assert.Equal("IdentityMismatch/None", Failure(response));
    }

    [Fact]
    public async Task A_request_without_the_access_token_is_refused()
    {
        await using var host = await AlbHost.StartAsync(Pool, Alb);
        var (data, _, identity) = SignIn();

        using var response = await host.GetAsync("/alb/me", data, identity: identity);

        Assert.Equal("MissingAccessToken/None", Failure(response));
    }

    [Fact]
    public async Task An_access_token_of_another_user_is_refused()
    {
        await using var host = await AlbHost.StartAsync(Pool, Alb);
        var (data, _, identity) = SignIn();
        var other = Pool.MintAccessToken(new LocalTokenOptions { Username = "mallory", ClientId = Alb.ClientId });

        using var response = await host.GetAsync("/alb/me", data, other, identity);

        Assert.Equal("SubjectMismatch/None", Failure(response));
    }

    [Fact]
    public async Task An_expired_access_token_is_refused_with_its_own_reason()
    {
        await using var host = await AlbHost.StartAsync(Pool, Alb);
        var (data, _, identity) = SignIn();
        var expired = Pool.MintExpiredAccessToken(TimeSpan.FromMinutes(1), new LocalTokenOptions { Subject = identity, ClientId = Alb.ClientId });

        using var response = await host.GetAsync("/alb/me", data, expired, identity);

        Assert.Equal("AccessTokenRejected/Expired", Failure(response));
    }

    [Fact]
    public async Task An_access_token_of_another_app_client_is_refused()
    {
        await using var host = await AlbHost.StartAsync(Pool, Alb);
        var (data, _, identity) = SignIn();
        var other = Pool.MintAccessToken(new LocalTokenOptions { Subject = identity, ClientId = "anotherclient" });

        using var response = await host.GetAsync("/alb/me", data, other, identity);

        Assert.Equal("AccessTokenRejected/InvalidClient", Failure(response));
    }

    [Fact]
    public async Task A_revoked_sign_in_is_refused_even_with_a_valid_data_token()
    {
        await using var host = await AlbHost.StartAsync(Pool, Alb);
        var signIn = Pool.SignIn(new LocalTokenOptions { ClientId = Alb.ClientId });
        var data = Alb.MintData(new LocalAlbTokenOptions { Subject = signIn.Subject });
        await host.Services.GetRequiredService<IRevocationStore>().RevokeSignInAsync(Pool.Issuer, signIn.OriginJti);

        using var response = await host.GetAsync("/alb/me", data, signIn.AccessToken, signIn.Subject);

        Assert.Equal("AccessTokenRejected/Revoked", Failure(response));
    }

    [Fact]
    public async Task With_the_access_token_check_off_the_data_token_alone_authenticates()
    {
        await using var host = await AlbHost.StartAsync(Pool, Alb, o => o.ValidateAccessToken = false);
        var data = Alb.MintData();

        using var response = await host.GetAsync("/alb/me", data, identity: "alb-user");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(0, body.RootElement.GetProperty("groups").GetArrayLength());
    }

    [Fact]
    public async Task Both_issuer_forms_of_the_pool_are_accepted_in_the_header()
    {
        await using var host = await AlbHost.StartAsync(Pool, Alb, o => o.ValidateAccessToken = false);
        var data = Alb.MintData(new LocalAlbTokenOptions { Issuer = $"https://issuer-cognito-idp.us-east-1.amazonaws.com/{Pool.UserPoolId}" });

        using var response = await host.GetAsync("/alb/me", data, identity: "alb-user");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
