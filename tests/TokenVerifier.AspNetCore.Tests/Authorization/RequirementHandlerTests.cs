using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using TokenVerifier.AspNetCore.Authorization;

namespace TokenVerifier.AspNetCore.Tests.Authorization;

public sealed class RequirementHandlerTests
{
    private static async Task<AuthorizationHandlerContext> HandleAsync(IAuthorizationHandler handler, IAuthorizationRequirement requirement, params ClaimsIdentity[] identities)
    {
        var context = new AuthorizationHandlerContext([requirement], new ClaimsPrincipal(identities), resource: null);
        await handler.HandleAsync(context);
        return context;
    }

    [Fact]
    public async Task ScopeClaimOnAnyIdentitySucceeds()
    {
        var context = await HandleAsync(
            new ScopeRequirementHandler(),
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
            new ScopeRequirementHandler(),
            new ScopeRequirement(["orders/read"]),
            new ClaimsIdentity([new Claim(type, value)], "UserPool"));

        Assert.False(context.HasSucceeded);
        Assert.False(context.HasFailed);
    }

    [Fact]
    public async Task GroupClaimOnAnyIdentitySucceeds()
    {
        var context = await HandleAsync(
            new GroupRequirementHandler(),
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
            new GroupRequirementHandler(),
            new GroupRequirement(["admins"]),
            new ClaimsIdentity([new Claim(type, value)], "UserPool"));

        Assert.False(context.HasSucceeded);
        Assert.False(context.HasFailed);
    }

    [Fact]
    public void RequirementsDescribeThemselvesForFailureLogs()
    {
        Assert.Equal("ScopeRequirement: the user needs one of the scopes (a|b)", new ScopeRequirement(["a", "b"]).ToString());
        Assert.Equal("GroupRequirement: the user needs to be in one of the groups (g)", new GroupRequirement(["g"]).ToString());
    }
}
