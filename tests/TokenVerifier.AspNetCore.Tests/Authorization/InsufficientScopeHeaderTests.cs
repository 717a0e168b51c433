using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.AspNetCore.Authorization;

namespace TokenVerifier.AspNetCore.Tests.Authorization;

public sealed class InsufficientScopeHeaderTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Policies:orders.read:Scopes:0"] = "orders/read",
                ["Policies:both:Groups:0"] = "a",
                ["Policies:both:Scopes:0"] = "s",
            })
            .Build();
        _app = await TestApp.StartAsync(
            builder => builder.Services.AddUserPoolPolicies(configuration.GetSection("Policies")),
            app =>
            {
                app.MapGet("/scoped", () => "ok").RequireScope("orders/read", "orders/admin");
                app.MapGet("/grouped", () => "ok").RequireGroup("admins");
                app.MapGet("/two-scope-lists", () => "ok").RequireScope("a", "b").RequireScope("c", "a");
                app.MapGet("/policy", () => "ok").RequireAuthorization("orders.read");
                app.MapGet("/both", () => "ok").RequireAuthorization("both");
                app.MapGet("/attribute", [RequireScope("orders/write")] () => "ok");
            });
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static string? WwwAuthenticate(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var values)
            ? Assert.Single(values)
            : null;

    [Fact]
    public async Task MissingScopeGets403WithTheRequiredScopes()
    {
        using var response = await _app.GetAsync("/scoped", new TestUser { Scopes = ["orders/write"] });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"orders/read orders/admin\"", WwwAuthenticate(response));
    }

    [Fact]
    public async Task MissingScopeOfAttributeGetsTheHeader()
    {
        using var response = await _app.GetAsync("/attribute", new TestUser());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"orders/write\"", WwwAuthenticate(response));
    }

    [Fact]
    public async Task MissingScopeOfConfiguredPolicyGetsTheHeader()
    {
        using var response = await _app.GetAsync("/policy", new TestUser { Groups = ["orders/read"] });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"orders/read\"", WwwAuthenticate(response));
    }

    [Fact]
    public async Task ScopesOfEveryFailedScopeRequirementAreListedOnce()
    {
        using var response = await _app.GetAsync("/two-scope-lists", new TestUser { Scopes = ["x"] });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"a b c\"", WwwAuthenticate(response));
    }

    [Fact]
    public async Task OnlyTheFailedScopeRequirementIsListed()
    {
        using var response = await _app.GetAsync("/two-scope-lists", new TestUser { Scopes = ["b"] });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"c a\"", WwwAuthenticate(response));
    }

    [Fact]
    public async Task MissingGroupGets403WithoutTheHeader()
    {
        using var response = await _app.GetAsync("/grouped", new TestUser { Groups = ["ops"], Scopes = ["admins"] });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(WwwAuthenticate(response));
    }

    [Fact]
    public async Task MissingGroupWithScopePresentGetsNoHeader()
    {
        using var response = await _app.GetAsync("/both", new TestUser { Scopes = ["s"] });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(WwwAuthenticate(response));
    }

    [Fact]
    public async Task MissingScopeWithGroupPresentGetsTheHeader()
    {
        using var response = await _app.GetAsync("/both", new TestUser { Groups = ["a"] });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"s\"", WwwAuthenticate(response));
    }

    [Theory]
    [InlineData("/scoped")]
    [InlineData("/policy")]
    [InlineData("/attribute")]
    public async Task ChallengeGetsNoInsufficientScopeHeader(string path)
    {
        using var response = await _app.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(WwwAuthenticate(response));
    }

    [Fact]
    public async Task SuccessGetsNoHeader()
    {
        using var response = await _app.GetAsync("/scoped", new TestUser { Scopes = ["orders/admin"] });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(WwwAuthenticate(response));
    }

    [Fact]
    public async Task ApplicationResultHandlerRegisteredEarlierStillRuns()
    {
        await using var app = await TestApp.StartAsync(
            builder =>
            {
                builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, MarkingResultHandler>();
                builder.Services.AddUserPoolPolicies(_ => { });
            },
            app => app.MapGet("/scoped", () => "ok").RequireScope("orders/read"));

        using var response = await app.GetAsync("/scoped", new TestUser());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"orders/read\"", WwwAuthenticate(response));
        Assert.Equal("yes", Assert.Single(response.Headers.GetValues(MarkingResultHandler.Header)));
    }

    [Fact]
    public async Task RegisteringTwiceAddsTheHeaderOnce()
    {
        await using var app = await TestApp.StartAsync(
            builder => builder.Services.AddUserPoolPolicies(_ => { }).AddUserPoolPolicies(_ => { }),
            app => app.MapGet("/scoped", () => "ok").RequireScope("orders/read"));

        using var response = await app.GetAsync("/scoped", new TestUser());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"orders/read\"", WwwAuthenticate(response));
    }

    [Fact]
    public void TheFrameworkDefaultIsWrappedOnceForAllRequestsAndAnApplicationHandlerKeepsItsLifetime()
    {
        var services = new ServiceCollection().AddLogging().AddUserPoolPolicies(_ => { });
        using (var provider = services.BuildServiceProvider())
        {
            using var first = provider.CreateScope();
            using var second = provider.CreateScope();
            Assert.Same(
                first.ServiceProvider.GetRequiredService<IAuthorizationMiddlewareResultHandler>(),
                second.ServiceProvider.GetRequiredService<IAuthorizationMiddlewareResultHandler>());
        }

        var scoped = new ServiceCollection().AddLogging().AddScoped<IAuthorizationMiddlewareResultHandler, MarkingResultHandler>().AddUserPoolPolicies(_ => { });
        using (var provider = scoped.BuildServiceProvider())
        {
            using var first = provider.CreateScope();
            using var second = provider.CreateScope();
            Assert.NotSame(
                first.ServiceProvider.GetRequiredService<IAuthorizationMiddlewareResultHandler>(),
                second.ServiceProvider.GetRequiredService<IAuthorizationMiddlewareResultHandler>());
            Assert.Same(
                first.ServiceProvider.GetRequiredService<IAuthorizationMiddlewareResultHandler>(),
                first.ServiceProvider.GetRequiredService<IAuthorizationMiddlewareResultHandler>());
        }
    }

    private sealed class MarkingResultHandler : IAuthorizationMiddlewareResultHandler
    {
        public const string Header = "X-Application-Result-Handler";

        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            context.Response.Headers[Header] = "yes";
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }
}
