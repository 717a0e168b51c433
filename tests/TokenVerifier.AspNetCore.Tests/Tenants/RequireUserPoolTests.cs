using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.AspNetCore.Authorization;
using TokenVerifier.AspNetCore.Tests.Authentication;
using TokenVerifier.Claims;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Tenants;

/// <summary>Two tenants' pools behind one scheme; endpoints and a named policy that each admit one tenant.</summary>
public sealed class RequireUserPoolTests : IAsyncLifetime, IDisposable
{
    private readonly LocalUserPool _tenantA = new("eu-west-1_TenantA");
    private readonly LocalUserPool _tenantB = new("eu-west-1_TenantB");
    private PoolHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await PoolHost.StartAsync(
            [_tenantA, _tenantB],
            builder =>
            {
                builder.Services.AddUserPoolAuth(options =>
                {
                    options.Validation.Pools.Add(new UserPoolOptions { UserPoolId = _tenantA.UserPoolId, ClientIds = [_tenantA.DefaultClientId], JwksUri = _tenantA.JwksUri.ToString() });
                    options.Validation.Pools.Add(new UserPoolOptions { UserPoolId = _tenantB.UserPoolId, ClientIds = [_tenantB.DefaultClientId], JwksUri = _tenantB.JwksUri.ToString() });
                });
                builder.Services.AddAuthorizationBuilder().AddPolicy("tenant-b", policy => policy.RequireScope("orders/read").RequireUserPool(_tenantB.UserPoolId));
            },
            app =>
            {
                app.MapGet("/a", () => "a").RequireUserPool(_tenantA.UserPoolId);
                app.MapGet("/b", () => "b").RequireAuthorization("tenant-b");
                app.MapGet("/either", () => "either").RequireUserPool(_tenantA.UserPoolId, _tenantB.UserPoolId);
                app.MapGet("/tenant", (HttpContext context) => context.User.FindFirst(UserPoolClaimTypes.UserPool)!.Value);
            });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose()
    {
        _tenantA.Dispose();
        _tenantB.Dispose();
    }

    [Fact]
    public async Task TokenOfTheTenantsPoolIsAdmitted()
    {
        using var response = await _host.GetAsync("/a", _tenantA.MintAccessToken());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TokenOfAnotherConfiguredPoolIsForbidden()
    {
        using var response = await _host.GetAsync("/a", _tenantB.MintAccessToken());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ForgedPoolClaimInTheTokenDoesNotSatisfyTheEndpoint()
    {
        var forged = new LocalTokenOptions();
        forged.AdditionalClaims[UserPoolClaimTypes.UserPool] = _tenantA.UserPoolId;

        using var response = await _host.GetAsync("/a", _tenantB.MintAccessToken(forged));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ForgedPoolClaimInTheTokenDoesNotSatisfyThePolicy()
    {
        var forged = new LocalTokenOptions();
        forged.Scopes.Add("orders/read");
        forged.AdditionalClaims[UserPoolClaimTypes.UserPool] = _tenantB.UserPoolId;

        using var refused = await _host.GetAsync("/b", _tenantA.MintAccessToken(forged));
        var genuine = new LocalTokenOptions();
        genuine.Scopes.Add("orders/read");
        using var admitted = await _host.GetAsync("/b", _tenantB.MintAccessToken(genuine));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
    }

    [Fact]
    public async Task AnyOfTheListedPoolsIsAdmitted()
    {
        using var a = await _host.GetAsync("/either", _tenantA.MintAccessToken());
        using var b = await _host.GetAsync("/either", _tenantB.MintAccessToken());

        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
    }

    [Fact]
    public async Task UnauthenticatedRequestIsChallenged()
    {
        using var response = await _host.GetAsync("/a");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task HandlerSeesThePoolClaim()
    {
        using var response = await _host.GetAsync("/tenant", _tenantB.MintAccessToken());

        Assert.Equal(_tenantB.UserPoolId, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void EmptyPoolListOrBlankPoolIdIsRefusedAtTheCallSite()
    {
        Assert.Throws<ArgumentException>(() => new AuthorizationPolicyBuilder().RequireUserPool());
        Assert.Throws<ArgumentException>(() => new AuthorizationPolicyBuilder().RequireUserPool(" "));
    }

    [Fact]
    public async Task ClaimOfTheSameNameFromAnotherIssuerIsNotTheTenant()
    {
        var requirement = new UserPoolRequirement([_tenantA.UserPoolId]);
        var identity = new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim(UserPoolClaimTypes.UserPool, _tenantA.UserPoolId, null, _tenantA.Issuer)], "test");
        var context = new AuthorizationHandlerContext([requirement], new System.Security.Claims.ClaimsPrincipal(identity), null);

        await requirement.HandleAsync(context);

        Assert.False(context.HasSucceeded);
    }
}
