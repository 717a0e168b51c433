using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.AspNetCore.Events;
using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Tests.Authentication;

public sealed class HandlerTests : IDisposable
{
    private readonly LocalUserPool _poolA = new("us-east-1_PoolAaaa1");
    private readonly LocalUserPool _poolB = new("eu-west-1_PoolBbbb2");

    public void Dispose()
    {
        _poolA.Dispose();
        _poolB.Dispose();
    }

    private static void Me(WebApplication app, string path = "/me", params string[] schemes)
    {
        var endpoint = app.MapGet(path, (ClaimsPrincipal user) => $"{user.Identity!.AuthenticationType}:{user.Identity.Name}:{user.FindFirstValue("extra")}");
        if (schemes.Length == 0)
        {
            endpoint.RequireAuthorization();
        }
        else
        {
            endpoint.RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = string.Join(',', schemes) });
        }
    }

    private Task<PoolHost> SinglePoolAsync(Action<UserPoolAuthenticationOptions>? configure = null) =>
        PoolHost.StartAsync(
            [_poolA],
            b => b.Services.AddUserPoolAuth(o =>
            {
                o.Validation.UserPoolId = _poolA.UserPoolId;
                o.Validation.ClientIds.Add(_poolA.DefaultClientId);
                configure?.Invoke(o);
            }),
            app => Me(app));

    [Fact]
    public async Task Keys_are_fetched_while_the_app_starts_so_the_first_request_pays_nothing()
    {
        await using var host = await SinglePoolAsync();
        Assert.Equal(1, _poolA.JwksRequestCount);
        var response = await host.GetAsync("/me", _poolA.MintAccessToken());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _poolA.JwksRequestCount);
    }

    [Fact]
    public async Task The_bearer_scheme_name_is_case_insensitive_and_other_schemes_are_ignored()
    {
        await using var host = await SinglePoolAsync();
        var token = _poolA.MintAccessToken();
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/me", token, "bearer")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/me", token, "BEARER")).StatusCode);
        var basic = await host.GetAsync("/me", token, "Basic");
        Assert.Equal(HttpStatusCode.Unauthorized, basic.StatusCode);
        Assert.Equal("Bearer", basic.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Without_error_details_the_challenge_still_says_invalid_token_but_not_why()
    {
        await using var host = await SinglePoolAsync(o => o.IncludeErrorDetails = false);
        var response = await host.GetAsync("/me", _poolA.MintIdToken());
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_realm_is_placed_first_in_the_challenge()
    {
        await using var host = await SinglePoolAsync(o => o.Realm = "orders-api");
        Assert.Equal("Bearer realm=\"orders-api\"", (await host.GetAsync("/me")).Headers.WwwAuthenticate.ToString());
        Assert.Equal(
            "Bearer realm=\"orders-api\", error=\"invalid_token\", error_description=\"The token is an ID token, but only access tokens are accepted.\"",
            (await host.GetAsync("/me", _poolA.MintIdToken())).Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Events_see_each_step_and_can_change_the_outcome()
    {
        var failures = new List<TokenFailure>();
        await using var host = await SinglePoolAsync(o =>
        {
            o.Events.OnMessageReceived = ctx =>
            {
                ctx.Token = ctx.Request.Query["access_token"];
                return Task.CompletedTask;
            };
            o.Events.OnTokenValidated = ctx =>
            {
                ((ClaimsIdentity)ctx.Principal!.Identity!).AddClaim(new Claim("extra", ctx.ValidatedToken.TokenUse));
                return Task.CompletedTask;
            };
            o.Events.OnAuthenticationFailed = ctx =>
            {
                failures.Add(ctx.Exception.Failure);
                return Task.CompletedTask;
            };
            o.Events.OnChallenge = async ctx =>
            {
                if (ctx.AuthenticateFailure is not null)
                {
                    ctx.HandleResponse();
                    ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    await ctx.Response.WriteAsync($"custom:{ctx.Error}");
                }
            };
        });

        var ok = await host.GetAsync("/me?access_token=" + _poolA.MintAccessToken());
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("UserPool:alice:access", await ok.Content.ReadAsStringAsync());

        var rejected = await host.GetAsync("/me?access_token=" + LocalUserPool.TamperSignature(_poolA.MintAccessToken()));
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal("custom:invalid_token", await rejected.Content.ReadAsStringAsync());
        Assert.Empty(rejected.Headers.WwwAuthenticate);
        Assert.Equal([TokenFailure.InvalidSignature], failures);
    }

    // The handler skips the per-request events nobody handles; a derived events type or a single delegate must still run.
    private sealed class TaggingEvents : UserPoolEvents
    {
        public override Task TokenValidated(UserPoolTokenValidatedContext context)
        {
            ((ClaimsIdentity)context.Principal!.Identity!).AddClaim(new Claim("extra", "derived"));
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_derived_events_type_is_raised_without_any_delegate_set()
    {
        await using var host = await SinglePoolAsync(o => o.Events = new TaggingEvents());
        Assert.Equal("UserPool:alice:derived", await (await host.GetAsync("/me", _poolA.MintAccessToken())).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Each_event_delegate_is_raised_on_its_own()
    {
        await using (var messageOnly = await SinglePoolAsync(o => o.Events.OnMessageReceived = ctx =>
        {
            ctx.Token = ctx.Request.Query["access_token"];
            return Task.CompletedTask;
        }))
        {
            var ok = await messageOnly.GetAsync("/me?access_token=" + _poolA.MintAccessToken());
            Assert.Equal("UserPool:alice:", await ok.Content.ReadAsStringAsync());
        }

        await using var validatedOnly = await SinglePoolAsync(o => o.Events.OnTokenValidated = ctx =>
        {
            ((ClaimsIdentity)ctx.Principal!.Identity!).AddClaim(new Claim("extra", "delegate"));
            return Task.CompletedTask;
        });
        Assert.Equal("UserPool:alice:delegate", await (await validatedOnly.GetAsync("/me", _poolA.MintAccessToken())).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await validatedOnly.GetAsync("/me?access_token=" + _poolA.MintAccessToken())).StatusCode);
    }

    [Fact]
    public async Task A_token_validated_event_can_reject_a_valid_token()
    {
        await using var host = await SinglePoolAsync(o => o.Events.OnTokenValidated = ctx =>
        {
            if (ctx.ValidatedToken.Username == "banned")
            {
                ctx.Fail("This user is banned.");
            }

            return Task.CompletedTask;
        });

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/me", _poolA.MintAccessToken())).StatusCode);
        var response = await host.GetAsync("/me", _poolA.MintAccessToken(new LocalTokenOptions { Username = "banned" }));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"This user is banned.\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Two_schemes_each_trust_their_own_pool_and_an_endpoint_may_accept_both()
    {
        await using var host = await PoolHost.StartAsync(
            [_poolA, _poolB],
            b =>
            {
                b.Services.AddAuthorization();
                b.Services.AddAuthentication()
                    .AddUserPool("A", o =>
                    {
                        o.Validation.UserPoolId = _poolA.UserPoolId;
                        o.Validation.ClientIds.Add(_poolA.DefaultClientId);
                    })
                    .AddUserPool("B", o =>
                    {
                        o.Validation.UserPoolId = _poolB.UserPoolId;
                        o.Validation.ClientIds.Add(_poolB.DefaultClientId);
                        o.Validation.TokenUse = ["id"];
                    });
            },
            app =>
            {
                Me(app, "/a", "A");
                Me(app, "/b", "B");
                Me(app, "/either", "A", "B");
            });

        var a = _poolA.MintAccessToken();
        var bId = _poolB.MintIdToken(new LocalTokenOptions { Username = "bob" });
        Assert.Equal("A:alice:", await (await host.GetAsync("/a", a)).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/a", bId)).StatusCode);
        Assert.Equal("B:bob:", await (await host.GetAsync("/b", bId)).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/b", a)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/either", a)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/either", bId)).StatusCode);
        Assert.Equal(1, _poolA.JwksRequestCount);
        Assert.Equal(1, _poolB.JwksRequestCount);
    }

    [Fact]
    public async Task One_scheme_may_trust_several_pools_and_several_clients()
    {
        await using var host = await PoolHost.StartAsync(
            [_poolA, _poolB],
            b => b.Services.AddUserPoolAuth(o =>
            {
                o.Validation.UserPoolId = _poolA.UserPoolId;
                o.Validation.ClientIds = [_poolA.DefaultClientId, "webclient00000000000000000a"];
                o.Validation.Pools.Add(new UserPoolOptions { UserPoolId = _poolB.UserPoolId, ClientIds = [_poolB.DefaultClientId] });
            }),
            app => Me(app));

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/me", _poolA.MintAccessToken())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/me", _poolA.MintAccessToken(new LocalTokenOptions { ClientId = "webclient00000000000000000a" }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/me", _poolB.MintAccessToken())).StatusCode);

        // Clients are per pool: pool B's client id is not accepted on a token of pool A.
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/me", _poolA.MintAccessToken(new LocalTokenOptions { ClientId = _poolB.DefaultClientId }))).StatusCode);
    }

    [Fact]
    public async Task The_validator_of_a_scheme_can_be_used_directly()
    {
        await using var host = await SinglePoolAsync();
        var validator = host.Services.GetRequiredService<UserPoolValidators>().Get();
        Assert.True((await validator.ValidateAsync(_poolA.MintAccessToken())).IsValid);
        Assert.Equal(TokenFailure.InvalidTokenUse, (await validator.ValidateAsync(_poolA.MintIdToken())).Failure);
    }
}
