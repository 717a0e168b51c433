using System.Net;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore.Authorization;

namespace TokenVerifier.AspNetCore.Tests.Authorization;

public sealed class ConfiguredPolicyTests
{
    private const string Json = """
        {
          "UserPool": {
            "Policies": {
              "admins": { "Groups": [ "admins" ] },
              "orders.read": { "Scopes": [ "orders/read" ] },
              "both": { "Groups": [ "a" ], "Scopes": [ "s" ] },
              "both-other-scheme": { "Groups": [ "a" ], "Scopes": [ "s" ], "AuthenticationSchemes": [ "Other" ] },
              "single": { "Groups": "ops" }
            }
          }
        }
        """;

    private static IConfiguration JsonConfiguration(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    private static Task<TestApp> StartAsync(string json) =>
        TestApp.StartAsync(
            builder =>
            {
                builder.Services.AddAuthentication()
                    .AddScheme<AuthenticationSchemeOptions, NeverAuthenticatesHandler>("Other", null);
                builder.Services.AddUserPoolPolicies(JsonConfiguration(json).GetSection("UserPool:Policies"));
            },
            app =>
            {
                app.MapGet("/admins", () => "ok").RequireAuthorization("admins");
                app.MapGet("/orders", () => "ok").RequireAuthorization("orders.read");
                app.MapGet("/both", () => "ok").RequireAuthorization("both");
                app.MapGet("/both-other-scheme", () => "ok").RequireAuthorization("both-other-scheme");
                app.MapGet("/single", () => "ok").RequireAuthorization("single");
            });

    [Theory]
    [InlineData("/admins", new[] { "admins" }, new string[0], HttpStatusCode.OK)]
    [InlineData("/admins", new[] { "ops" }, new[] { "admins" }, HttpStatusCode.Forbidden)]
    [InlineData("/orders", new string[0], new[] { "orders/read" }, HttpStatusCode.OK)]
    [InlineData("/orders", new[] { "orders/read" }, new[] { "orders/write" }, HttpStatusCode.Forbidden)]
    [InlineData("/both", new[] { "a" }, new[] { "s" }, HttpStatusCode.OK)]
    [InlineData("/both", new[] { "a" }, new string[0], HttpStatusCode.Forbidden)]
    [InlineData("/both", new string[0], new[] { "s" }, HttpStatusCode.Forbidden)]
    [InlineData("/single", new[] { "ops" }, new string[0], HttpStatusCode.OK)]
    [InlineData("/single", new[] { "admins" }, new string[0], HttpStatusCode.Forbidden)]
    public async Task PolicyFromConfigurationIsEnforced(string path, string[] groups, string[] scopes, HttpStatusCode expected)
    {
        await using var app = await StartAsync(Json);

        using var response = await app.GetAsync(path, new TestUser { Groups = groups, Scopes = scopes });

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("/admins")]
    [InlineData("/orders")]
    [InlineData("/both")]
    public async Task PolicyFromConfigurationRequiresAuthenticatedUser(string path)
    {
        await using var app = await StartAsync(Json);

        using var response = await app.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task PolicyAuthenticatesWithItsOwnSchemes()
    {
        await using var app = await StartAsync(Json);

        // The default scheme would accept this user; the policy's "Other" scheme never does.
        using var response = await app.GetAsync("/both-other-scheme", new TestUser { Groups = ["a"], Scopes = ["s"] });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task PolicyIsBuiltFromItsDefinition()
    {
        var services = new ServiceCollection();
        services.AddUserPoolPolicies(JsonConfiguration(Json).GetSection("UserPool:Policies"));
        await using var provider = services.BuildServiceProvider();
        var policies = provider.GetRequiredService<IAuthorizationPolicyProvider>();

        var policy = await policies.GetPolicyAsync("BOTH-other-scheme");

        Assert.NotNull(policy);
        Assert.Equal(["Other"], policy.AuthenticationSchemes);
        Assert.Collection(
            policy.Requirements,
            requirement => Assert.IsType<DenyAnonymousAuthorizationRequirement>(requirement),
            requirement => Assert.Equal(["a"], Assert.IsType<GroupRequirement>(requirement).AllowedGroups),
            requirement => Assert.Equal(["s"], Assert.IsType<ScopeRequirement>(requirement).AllowedScopes));
    }

    [Fact]
    public async Task PoliciesCanBeDeclaredInCode()
    {
        await using var app = await TestApp.StartAsync(
            builder => builder.Services.AddUserPoolPolicies(options =>
                options.Policies["writers"] = new UserPoolPolicyDefinition { Scopes = { "orders/write", "orders/admin" } }),
            app => app.MapGet("/write", () => "ok").RequireAuthorization("writers"));

        using var allowed = await app.GetAsync("/write", new TestUser { Scopes = ["orders/admin"] });
        using var denied = await app.GetAsync("/write", new TestUser { Scopes = ["orders/read"] });

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Theory]
    [InlineData("""{ "empty": { } }""", "Authorization policy 'empty' declares neither Groups nor Scopes")]
    [InlineData("""{ "schemes-only": { "AuthenticationSchemes": [ "UserPool" ] } }""", "Authorization policy 'schemes-only' declares neither Groups nor Scopes")]
    [InlineData("""{ "empty-lists": { "Groups": [ ], "Scopes": [ ] } }""", "Authorization policy 'empty-lists' declares neither Groups nor Scopes")]
    [InlineData("""{ "typo": { "Groups": [ "admins" ], "Scope": [ "orders/read" ] } }""", "Authorization policy 'typo' has an unknown setting 'Scope'")]
    [InlineData("""{ "two-in-one": { "Scopes": [ "orders/read orders/write" ] } }""", "Authorization policy 'two-in-one': Scopes[0] 'orders/read orders/write' contains a character not allowed in a scope")]
    [InlineData("""{ "blank": { "Groups": [ "admins", " " ] } }""", "Authorization policy 'blank': Groups[1] is null, empty or whitespace")]
    [InlineData("""{ "scalar": "admins" }""", "Authorization policy 'scalar' must be an object")]
    [InlineData("""{ "bad-caller": { "Caller": "Robot" } }""", "Authorization policy 'bad-caller': Caller must be Any, User or MachineClient")]
    [InlineData("""{ "numeric-caller": { "Caller": "2" } }""", "Authorization policy 'numeric-caller': Caller must be Any, User or MachineClient")]
    [InlineData("""{ "bad-age": { "RecentSignIn": "soon" } }""", "Authorization policy 'bad-age': RecentSignIn must be a positive time span")]
    [InlineData("""{ "zero-age": { "RecentSignIn": "00:00:00" } }""", "Authorization policy 'zero-age': RecentSignIn must be a positive time span")]
    [InlineData("""{ "nobody": { "Caller": "MachineClient", "RecentSignIn": "00:05:00" } }""", "Authorization policy 'nobody' requires a machine client and a recent sign-in")]
    [InlineData("""{ "any-only": { "Caller": "Any" } }""", "Authorization policy 'any-only' declares neither Groups nor Scopes")]
    public async Task InvalidDefinitionStopsStartUpNamingThePolicy(string policiesJson, string expectedMessage)
    {
        await using var app = TestApp.Build(
            builder => builder.Services.AddUserPoolPolicies(JsonConfiguration($$"""{ "Policies": {{policiesJson}} }""").GetSection("Policies")),
            _ => { });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(expectedMessage, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyWithNeitherGroupsNorScopesDeclaredInCodeStopsStartUp()
    {
        await using var app = TestApp.Build(
            builder => builder.Services.AddUserPoolPolicies(options => options.Policies["nothing"] = new UserPoolPolicyDefinition()),
            _ => { });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Equal(
            "Authorization policy 'nothing' declares neither Groups nor Scopes (nor Caller or RecentSignIn); give it at least one.",
            Assert.Single(exception.Failures));
    }

    private sealed class NeverAuthenticatesHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options,
        Microsoft.Extensions.Logging.ILoggerFactory logger,
        System.Text.Encodings.Web.UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(AuthenticateResult.NoResult());
    }
}
