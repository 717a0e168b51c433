using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.AspNetCore.Authorization;
using TokenVerifier.AspNetCore.Tests.Authentication;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Compatibility;

/// <summary>One behaviour suite, run against the user-pool handler and against <c>AddJwtBearer(o => o.UseUserPool(...))</c>.</summary>
public sealed class BothHandlersTests : IDisposable
{
    private readonly LocalUserPool _pool = new("us-east-1_Compat001");

    public void Dispose() => _pool.Dispose();

    public static TheoryData<string> Handlers() => new() { "UserPool", "JwtBearer" };

    private Task<PoolHost> StartAsync(string handler) =>
        PoolHost.StartAsync(
            [_pool],
            b =>
            {
                void Pool(UserPoolValidationOptions v)
                {
                    v.UserPoolId = _pool.UserPoolId;
                    v.ClientIds.Add(_pool.DefaultClientId);
                }

                if (handler == "UserPool")
                {
                    b.Services.AddUserPoolAuth(o => Pool(o.Validation));
                }
                else
                {
                    // Plain JwtBearer, as a team keeping it would wire it; keys come through the app's IHttpClientFactory.
                    b.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                        .AddJwtBearer(o => o.UseUserPool(Pool));
                    b.Services.AddUserPoolPolicies(_ => { });
                }

                b.Services.AddAuthorizationBuilder().AddPolicy("admins", p => p.RequireGroup("admins"));
            },
            app =>
            {
                app.MapGet("/me", (ClaimsPrincipal u) => $"{u.Identity!.Name}|{string.Join(',', u.FindAll("scope").Select(c => c.Value))}|{u.IsInRole("admins")}|{u.FindFirstValue("sub") is not null}")
                    .RequireAuthorization();
                app.MapGet("/admins", () => "ok").RequireAuthorization("admins");
                app.MapGet("/write", () => "ok").RequireScope("orders/write");
            });

    [Theory]
    [MemberData(nameof(Handlers))]
    public async Task Valid_access_tokens_give_the_same_principal(string handler)
    {
        await using var host = await StartAsync(handler);
        var token = _pool.MintAccessToken(new LocalTokenOptions { Username = "erin", Groups = { "admins" }, Scopes = { "orders/read", "orders/write" } });
        var response = await host.GetAsync("/me", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("erin|orders/read,orders/write|True|True", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(Handlers))]
    public async Task Cognito_rules_reject_the_same_tokens(string handler)
    {
        await using var host = await StartAsync(handler);
        string[] rejected =
        [
            _pool.MintIdToken(),
            _pool.MintAccessToken(new LocalTokenOptions { ClientId = "anotherclient000000000000a" }),
            _pool.MintExpiredAccessToken(TimeSpan.FromSeconds(1)),
            LocalUserPool.TamperSignature(_pool.MintAccessToken()),
            new LocalUserPool("us-east-1_Compat002").MintAccessToken(),
        ];
        foreach (var token in rejected)
        {
            var response = await host.GetAsync("/me", token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.StartsWith("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal("Bearer", (await host.GetAsync("/me")).Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [MemberData(nameof(Handlers))]
    public async Task Groups_and_scopes_authorize_the_same_way(string handler)
    {
        await using var host = await StartAsync(handler);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/admins", _pool.MintAccessToken(new LocalTokenOptions { Groups = { "admins" } }))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.GetAsync("/admins", _pool.MintAccessToken(new LocalTokenOptions { Groups = { "staff" } }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/write", _pool.MintAccessToken(new LocalTokenOptions { Scopes = { "orders/write" } }))).StatusCode);
        var forbidden = await host.GetAsync("/write", _pool.MintAccessToken(new LocalTokenOptions { Scopes = { "orders/read" } }));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"orders/write\"", forbidden.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [MemberData(nameof(Handlers))]
    public async Task A_rotated_in_key_is_accepted_on_its_first_request(string handler)
    {
        await using var host = await StartAsync(handler);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/me", _pool.MintAccessToken())).StatusCode);
        var fetches = _pool.JwksRequestCount;
        _pool.RotateKey();
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/me", _pool.MintAccessToken())).StatusCode);
        Assert.Equal(fetches + 1, _pool.JwksRequestCount);
    }

    [Fact]
    public async Task JwtBearer_describes_an_expired_token_with_its_real_expiry()
    {
        await using var host = await StartAsync("JwtBearer");
        var response = await host.GetAsync("/me", _pool.MintExpiredAccessToken(TimeSpan.FromSeconds(30)));
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.Contains("The token expired at", challenge, StringComparison.Ordinal);
        Assert.DoesNotContain("0001", challenge, StringComparison.Ordinal);
    }

    [Fact]
    public void UseUserPool_refuses_invalid_pool_options()
    {
        var error = Assert.Throws<ArgumentException>(() => new JwtBearerOptions().UseUserPool(v => v.UserPoolId = "nope"));
        Assert.Contains("is not a Cognito pool id", error.Message, StringComparison.Ordinal);
    }
}
