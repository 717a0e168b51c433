using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.AspNetCore.Authorization;

namespace TokenVerifier.AspNetCore.Tests.Authorization;

public sealed class RequirementHandlerTests
{
    // The requirements are their own handlers; ASP.NET Core's PassThroughAuthorizationHandler is what calls them.
    private static async Task<AuthorizationHandlerContext> HandleAsync(IAuthorizationRequirement requirement, params ClaimsIdentity[] identities)
    {
        var context = new AuthorizationHandlerContext([requirement], new ClaimsPrincipal(identities), resource: null);
        await new Microsoft.AspNetCore.Authorization.Infrastructure.PassThroughAuthorizationHandler().HandleAsync(context);
        return context;
    }

    [Fact]
    public async Task ScopeClaimOnAnyIdentitySucceeds()
    {
        var context = await HandleAsync(
            new ScopeRequirement(["orders/read"]),
            new ClaimsIdentity([new Claim("scope", "openid")], "UserPool"),
            new ClaimsIdentity([new Claim("scope", "orders/read")], "Other"));

        Assert.True(context.HasSucceeded);
    }

    [Theory]
    [InlineData("Scope", "orders/read")]
    [InlineData("scp", "orders/read")]
    [InlineData("scope", "orders/read orders/write")]
    [InlineData("scope", "orders/read ")]
    public async Task ScopeNeedsAnExactScopeClaim(string type, string value)
    {
        var context = await HandleAsync(
            new ScopeRequirement(["orders/read"]),
            new ClaimsIdentity([new Claim(type, value)], "UserPool"));

        Assert.False(context.HasSucceeded);
        Assert.False(context.HasFailed);
    }

    [Fact]
    public async Task GroupClaimOnAnyIdentitySucceeds()
    {
        var context = await HandleAsync(
            new GroupRequirement(["admins", "ops"]),
            new ClaimsIdentity([new Claim("cognito:groups", "readers")], "UserPool"),
            new ClaimsIdentity([new Claim("cognito:groups", "ops")], "Other"));

        Assert.True(context.HasSucceeded);
    }

    [Theory]
    [InlineData("role", "admins")]
    [InlineData("cognito:groups", "Admins")]
    [InlineData("scope", "admins")]
    public async Task GroupNeedsAnExactGroupClaim(string type, string value)
    {
        var context = await HandleAsync(
            new GroupRequirement(["admins"]),
            new ClaimsIdentity([new Claim(type, value)], "UserPool"));

        Assert.False(context.HasSucceeded);
        Assert.False(context.HasFailed);
    }

    [Fact]
    public async Task RequirementsWorkThroughPlainAuthorizationWithNothingOfOursRegistered()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAuthorization(o =>
        {
            o.AddPolicy("admins", p => p.RequireGroup("admins"));
            o.AddPolicy("readers", p => p.RequireScope("orders/read"));
        });
        await using var provider = services.BuildServiceProvider();
        var authorization = provider.GetRequiredService<IAuthorizationService>();
        var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim("cognito:groups", "admins")], "UserPool"));
        var reader = new ClaimsPrincipal(new ClaimsIdentity([new Claim("scope", "orders/read")], "UserPool"));

        Assert.True((await authorization.AuthorizeAsync(admin, "admins")).Succeeded);
        Assert.False((await authorization.AuthorizeAsync(reader, "admins")).Succeeded);
        Assert.True((await authorization.AuthorizeAsync(reader, "readers")).Succeeded);
        Assert.False((await authorization.AuthorizeAsync(admin, "readers")).Succeeded);
    }

    [Fact]
    public void RequirementsDescribeThemselvesForFailureLogs()
    {
        Assert.Equal("ScopeRequirement: the user needs one of the scopes (a|b)", new ScopeRequirement(["a", "b"]).ToString());
        Assert.Equal("GroupRequirement: the user needs to be in one of the groups (g)", new GroupRequirement(["g"]).ToString());
    }
}
