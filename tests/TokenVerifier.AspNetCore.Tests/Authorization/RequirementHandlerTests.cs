using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.AspNetCore.Authorization;
using TokenVerifier.Keys;
using TokenVerifier.Testing;
using TokenVerifier.Validation;

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
    public async Task ScopeAndGroupChecksOnAValidatedTokenAllocateNothing()
    {
        // Going through ClaimsPrincipal.Claims made the identity create every claim of its token (a few kilobytes) on
        // each request; the requirements now ask each identity, and ours answers from the validated token.
        using var pool = new LocalUserPool();
        using var client = new HttpClient(pool.CreateJwksHandler());
        var options = new UserPoolValidationOptions { UserPoolId = pool.UserPoolId };
        options.ClientIds.Add(pool.DefaultClientId);
        using var validator = new UserPoolTokenValidator(options, new SigningKeyCacheRegistry(() => client));
        var mint = new LocalTokenOptions();
        mint.Groups.Add("admins");
        mint.Scopes.Add("orders/read");
        mint.Scopes.Add("orders/write");
        var token = pool.MintAccessToken(mint);
        async Task<ClaimsPrincipal> PrincipalAsync()
        {
            var result = await validator.ValidateAsync(token);
            Assert.True(result.IsValid, result.FailureMessage);
            return new ClaimsPrincipal(result.Identity!);
        }

        string[] scopes = ["orders/write"], groups = ["ops", "admins"], missing = ["ops"];
        bool Check(ClaimsPrincipal user) =>
            RequirementValues.HasAnyClaim(user, "scope", scopes)
            && RequirementValues.HasAnyClaim(user, "cognito:groups", groups)
            && !RequirementValues.HasAnyClaim(user, "scope", missing)
            && !RequirementValues.HasAnyClaim(user, "cognito:groups", missing);

        Assert.True(Check(await PrincipalAsync()));
        var user = await PrincipalAsync();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var answered = Check(user);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(answered);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void RequirementsDescribeThemselvesForFailureLogs()
    {
        Assert.Equal("ScopeRequirement: the user needs one of the scopes (a|b)", new ScopeRequirement(["a", "b"]).ToString());
        Assert.Equal("GroupRequirement: the user needs to be in one of the groups (g)", new GroupRequirement(["g"]).ToString());
    }
}
