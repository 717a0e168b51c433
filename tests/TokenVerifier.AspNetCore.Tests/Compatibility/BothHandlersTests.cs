using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore.Authorization;
using TokenVerifier.AspNetCore.Revocation;
using TokenVerifier.AspNetCore.Tests.Authentication;
using TokenVerifier.AspNetCore.Tests.Revocation;
using TokenVerifier.Revocation;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Compatibility;

/// <summary>
/// One behaviour suite, run against the user-pool handler, against <c>AddUserPoolJwtBearer</c> (JwtBearer set up at
/// registration, with nothing else registered) and, where it applies, against the options-callback form
/// <c>AddJwtBearer(o => o.UseUserPool(...))</c>.
/// </summary>
public sealed class BothHandlersTests : IDisposable
{
    private readonly LocalUserPool _pool = new("us-east-1_Compat001");

    public void Dispose() => _pool.Dispose();

    public static TheoryData<string> AllHandlers() => new() { "UserPool", "JwtBearer", "UseUserPool" };

    private static string SchemeOf(string handler) => handler == "UserPool" ? "UserPool" : JwtBearerDefaults.AuthenticationScheme;

    private Task<PoolHost> StartAsync(string handler, Action<UserPoolValidationOptions>? pool = null, Action<WebApplicationBuilder>? services = null) =>
        PoolHost.StartAsync(
            [_pool],
            b =>
            {
                void Pool(UserPoolValidationOptions v)
                {
                    v.UserPoolId = _pool.UserPoolId;
                    v.ClientIds.Add(_pool.DefaultClientId);
                    pool?.Invoke(v);
                }

                if (handler == "UserPool")
                {
                    b.Services.AddUserPoolAuth(o => Pool(o.Validation));
                }
                else if (handler == "JwtBearer")
                {
                    // The registration-time entry point, and nothing else: no AddUserPoolPolicies, no revocation set-up.
                    b.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddUserPoolJwtBearer(Pool);
                }
                else
                {
                    // Plain JwtBearer, as a team keeping it would wire it; keys come through the app's IHttpClientFactory.
                    b.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                        .AddJwtBearer(o => o.UseUserPool(Pool));
                    b.Services.AddUserPoolPolicies(_ => { });
                }

                b.Services.AddAuthorizationBuilder().AddPolicy("admins", p => p.RequireGroup("admins"));
                services?.Invoke(b);
            },
            app =>
            {
                app.MapGet("/me", (ClaimsPrincipal u) => $"{u.Identity!.Name}|{string.Join(',', u.FindAll("scope").Select(c => c.Value))}|{u.IsInRole("admins")}|{u.FindFirstValue("sub") is not null}")
                    .RequireAuthorization();
                app.MapGet("/admins", () => "ok").RequireAuthorization("admins");
                app.MapGet("/write", () => "ok").RequireScope("orders/write");
            });

    [Theory]
    [MemberData(nameof(AllHandlers))]
    public async Task Valid_access_tokens_give_the_same_principal(string handler)
    {
        await using var host = await StartAsync(handler);
        var token = _pool.MintAccessToken(new LocalTokenOptions { Username = "erin", Groups = { "admins" }, Scopes = { "orders/read", "orders/write" } });
        var response = await host.GetAsync("/me", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("erin|orders/read,orders/write|True|True", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(AllHandlers))]
    public async Task Machine_client_tokens_give_the_same_principal_named_by_the_client_id(string handler)
    {
        await using var host = await StartAsync(handler);
        var token = _pool.MintMachineToken(new LocalMachineTokenOptions { Scopes = { "orders/read" } });
        var response = await host.GetAsync("/me", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{_pool.DefaultClientId}|orders/read|False|True", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(AllHandlers))]
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
    [MemberData(nameof(AllHandlers))]
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
    [MemberData(nameof(AllHandlers))]
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

    [Theory]
    [MemberData(nameof(AllHandlers))]
    public async Task A_revoked_token_is_refused(string handler)
    {
        await using var host = await StartAsync(handler, services: b => b.Services.AddSingleton<IRevocationStore>(sp => new InMemoryRevocationStore(new RevocationStoreOptions(), TimeProvider.System)));
        var token = _pool.MintAccessToken(new LocalTokenOptions { Jti = "revoked-jti-0001" });
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/me", token)).StatusCode);

        await host.Services.GetRequiredService<IRevocationStore>().RevokeTokenAsync(_pool.Issuer, "revoked-jti-0001", DateTimeOffset.UtcNow.AddHours(1));
        var response = await host.GetAsync("/me", token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UserPool", RevocationFailureMode.FailClosed)]
    [InlineData("JwtBearer", RevocationFailureMode.FailClosed)]
    [InlineData("UserPool", RevocationFailureMode.FailOpen)]
    [InlineData("JwtBearer", RevocationFailureMode.FailOpen)]
    public async Task A_store_that_is_down_refuses_when_fail_closed_and_accepts_when_fail_open(string handler, RevocationFailureMode mode)
    {
        await using var host = await StartAsync(
            handler,
            pool: v => v.Revocation.FailureMode = mode,
            services: b =>
            {
                b.Services.AddSingleton<IDistributedCache, RefusingCache>();
                new AuthenticationBuilder(b.Services).AddDistributedRevocation();
            });
        var response = await host.GetAsync("/me", _pool.MintAccessToken());
        if (mode == RevocationFailureMode.FailOpen)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        else
        {
            // Both answer 503 with Retry-After: the token may be fine, and a 401 would send the client to sign in again.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
        }
    }

    [Theory]
    [InlineData("UserPool", "ClientIds is empty")]
    [InlineData("JwtBearer", "ClientIds is empty")]
    [InlineData("UserPool", "KidMissRefreshInterval must be at least 1 s")]
    [InlineData("JwtBearer", "KidMissRefreshInterval must be at least 1 s")]
    public async Task Invalid_pool_options_stop_the_start_naming_the_scheme_and_the_setting(string handler, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(handler, pool: v =>
        {
            if (message.StartsWith("ClientIds", StringComparison.Ordinal))
            {
                v.ClientIds.Clear();
            }
            else
            {
                v.KidMissRefreshInterval = TimeSpan.Zero;
            }
        }));
        Assert.Contains($"scheme '{SchemeOf(handler)}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddUserPoolJwtBearer_keeps_the_callers_JwtBearer_settings_but_validates_with_TokenVerifier()
    {
        await using var host = await PoolHost.StartAsync(
            [_pool],
            b => b.Services.AddAuthentication("Cognito").AddUserPoolJwtBearer(
                "Cognito",
                v =>
                {
                    v.UserPoolId = _pool.UserPoolId;
                    v.ClientIds.Add(_pool.DefaultClientId);
                },
                o =>
                {
                    o.IncludeErrorDetails = false;
                    o.TokenHandlers.Clear();
                }),
            app => app.MapGet("/me", (ClaimsPrincipal u) => u.Identity!.Name).RequireAuthorization());
        var accepted = await host.GetAsync("/me", _pool.MintAccessToken(new LocalTokenOptions { Username = "erin" }));
        Assert.Equal("erin", await accepted.Content.ReadAsStringAsync());
        var rejected = await host.GetAsync("/me", _pool.MintIdToken());
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);

        // JwtBearer's IncludeErrorDetails = false leaves out the error too.
        Assert.Equal("Bearer", rejected.Headers.WwwAuthenticate.ToString());
    }
}
