using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.AspNetCore.Authorization;

namespace TokenVerifier.AspNetCore.Tests.Authorization;

public sealed class MinimalApiAuthorizationTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(
            builder => builder.Services.AddUserPoolPolicies(_ => { }),
            app =>
            {
                app.MapGet("/scoped", () => "ok").RequireScope("orders/read", "orders/admin");
                app.MapGet("/grouped", () => "ok").RequireGroup("admins", "ops");
                app.MapGet("/both", () => "ok").RequireGroup("admins").RequireScope("orders/read");

                var group = app.MapGroup("/group").RequireScope("orders/read");
                group.MapGet("/list", () => "ok");
                group.MapGet("/admin", () => "ok").RequireGroup("admins");

                app.MapGet("/attribute/scope", [RequireScope("orders/read")] () => "ok");
                app.MapGet("/attribute/group", [RequireGroup("admins")] () => "ok");
                app.MapGet("/open", () => "ok");
            });
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("orders/read")]
    [InlineData("orders/admin")]
    public async Task ScopeEndpointAcceptsAnyOneOfItsScopes(string scope)
    {
        using var response = await _app.GetAsync("/scoped", new TestUser { Scopes = ["openid", scope] });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ScopeEndpointForbidsUserWithoutTheScope()
    {
        using var response = await _app.GetAsync("/scoped", new TestUser { Scopes = ["orders/write"] });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ScopesCompareOrdinally()
    {
        using var response = await _app.GetAsync("/scoped", new TestUser { Scopes = ["Orders/Read"] });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task GroupsDoNotSatisfyAScopeRequirement()
    {
        using var response = await _app.GetAsync("/scoped", new TestUser { Groups = ["orders/read"] });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("/scoped")]
    [InlineData("/grouped")]
    [InlineData("/group/list")]
    [InlineData("/attribute/scope")]
    [InlineData("/attribute/group")]
    public async Task UnauthenticatedRequestIsChallenged(string path)
    {
        using var response = await _app.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("admins")]
    [InlineData("ops")]
    public async Task GroupEndpointAcceptsAnyOneOfItsGroups(string group)
    {
        using var response = await _app.GetAsync("/grouped", new TestUser { Groups = ["readers", group] });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GroupEndpointForbidsUserOutsideTheGroups()
    {
        using var response = await _app.GetAsync("/grouped", new TestUser { Groups = ["readers"], Scopes = ["admins"] });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task GroupsCompareOrdinally()
    {
        using var response = await _app.GetAsync("/grouped", new TestUser { Groups = ["Admins"] });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task GroupFromAnotherIdentityOfThePrincipalCounts()
    {
        using var response = await _app.GetAsync("/grouped", new TestUser { ExtraIdentityGroups = ["ops"] });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GroupWorksForIdTokensToo()
    {
        using var response = await _app.GetAsync("/grouped", new TestUser { TokenUse = "id", Groups = ["admins"] });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("admins", "orders/read", HttpStatusCode.OK)]
    [InlineData("admins", "", HttpStatusCode.Forbidden)]
    [InlineData("", "orders/read", HttpStatusCode.Forbidden)]
    public async Task ChainedRequirementsMustAllBeMet(string group, string scope, HttpStatusCode expected)
    {
        var user = new TestUser { Groups = group.Length > 0 ? [group] : [], Scopes = scope.Length > 0 ? [scope] : [] };

        using var response = await _app.GetAsync("/both", user);

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("/group/list", new string[0], new[] { "orders/read" }, HttpStatusCode.OK)]
    [InlineData("/group/list", new[] { "admins" }, new string[0], HttpStatusCode.Forbidden)]
    [InlineData("/group/admin", new[] { "admins" }, new[] { "orders/read" }, HttpStatusCode.OK)]
    [InlineData("/group/admin", new string[0], new[] { "orders/read" }, HttpStatusCode.Forbidden)]
    [InlineData("/group/admin", new[] { "admins" }, new string[0], HttpStatusCode.Forbidden)]
    public async Task RouteGroupRequirementAppliesToEveryEndpointInIt(string path, string[] groups, string[] scopes, HttpStatusCode expected)
    {
        using var response = await _app.GetAsync(path, new TestUser { Groups = groups, Scopes = scopes });

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("/attribute/scope", new string[0], new[] { "orders/read" }, HttpStatusCode.OK)]
    [InlineData("/attribute/scope", new[] { "orders/read" }, new[] { "orders/write" }, HttpStatusCode.Forbidden)]
    [InlineData("/attribute/group", new[] { "admins" }, new string[0], HttpStatusCode.OK)]
    [InlineData("/attribute/group", new[] { "ops" }, new[] { "admins" }, HttpStatusCode.Forbidden)]
    public async Task AttributeOnHandlerAloneTriggersAuthorization(string path, string[] groups, string[] scopes, HttpStatusCode expected)
    {
        using var response = await _app.GetAsync(path, new TestUser { Groups = groups, Scopes = scopes });

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task EndpointWithoutRequirementStaysOpen()
    {
        using var response = await _app.GetAsync("/open");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
