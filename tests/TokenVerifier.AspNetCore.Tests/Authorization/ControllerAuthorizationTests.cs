using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.AspNetCore.Authorization;

namespace TokenVerifier.AspNetCore.Tests.Authorization;

public sealed class ControllerAuthorizationTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Policies:admins:Groups:0"] = "admins" })
            .Build();
        _app = await TestApp.StartAsync(
            builder =>
            {
                builder.Services.AddControllers().AddApplicationPart(typeof(OrdersController).Assembly);
                builder.Services.AddUserPoolPolicies(configuration.GetSection("Policies"));
            },
            app => app.MapControllers());
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("orders/read")]
    [InlineData("orders/admin")]
    public async Task ClassScopeAttributeAcceptsAnyOneOfItsScopes(string scope)
    {
        using var response = await _app.GetAsync("/mvc/orders", new TestUser { Scopes = [scope] });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("list", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ClassScopeAttributeForbidsOtherScopes()
    {
        using var response = await _app.GetAsync("/mvc/orders", new TestUser { Scopes = ["orders/write"] });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ClassScopeAttributeChallengesAnonymous()
    {
        using var response = await _app.GetAsync("/mvc/orders");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(new[] { "orders/read", "orders/write" }, HttpStatusCode.OK)]
    [InlineData(new[] { "orders/write" }, HttpStatusCode.Forbidden)]
    [InlineData(new[] { "orders/read" }, HttpStatusCode.Forbidden)]
    public async Task ActionScopeAttributeAddsToTheClassOne(string[] scopes, HttpStatusCode expected)
    {
        using var response = await _app.SendAsync(HttpMethod.Post, "/mvc/orders", new TestUser { Scopes = scopes });

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData(new[] { "admins" }, new[] { "orders/read" }, HttpStatusCode.OK)]
    [InlineData(new string[0], new[] { "orders/read" }, HttpStatusCode.Forbidden)]
    [InlineData(new[] { "admins" }, new string[0], HttpStatusCode.Forbidden)]
    public async Task ActionGroupAttributeAddsToTheClassScope(string[] groups, string[] scopes, HttpStatusCode expected)
    {
        using var response = await _app.SendAsync(HttpMethod.Delete, "/mvc/orders/7", new TestUser { Groups = groups, Scopes = scopes });

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("admins", HttpStatusCode.OK)]
    [InlineData("ops", HttpStatusCode.OK)]
    [InlineData("readers", HttpStatusCode.Forbidden)]
    public async Task ActionGroupAttributeAloneTriggersAuthorization(string group, HttpStatusCode expected)
    {
        using var response = await _app.GetAsync("/mvc/admin/group", new TestUser { Groups = [group] });

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task ActionGroupAttributeChallengesAnonymous()
    {
        using var response = await _app.GetAsync("/mvc/admin/group");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("admins", HttpStatusCode.OK)]
    [InlineData("ops", HttpStatusCode.Forbidden)]
    public async Task AuthorizeAttributeUsesPolicyFromConfiguration(string group, HttpStatusCode expected)
    {
        using var response = await _app.GetAsync("/mvc/admin/policy", new TestUser { Groups = [group] });

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task ActionWithoutAttributesStaysOpen()
    {
        using var response = await _app.GetAsync("/mvc/admin/open");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
