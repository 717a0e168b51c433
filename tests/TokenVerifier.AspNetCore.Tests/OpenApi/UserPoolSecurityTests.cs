using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.AspNetCore.Authorization;
using TokenVerifier.AspNetCore.Tests.Authorization;

namespace TokenVerifier.AspNetCore.Tests.OpenApi;

/// <summary>
/// The OpenAPI package writes into the document exactly what the authorization middleware enforces, for every way an
/// endpoint can state a requirement: endpoint conventions, attributes, named policies from options, route groups.
/// </summary>
public sealed class UserPoolSecurityTests : IAsyncLifetime
{
    private TestApp _app = null!;
    private JsonElement _document;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(
            builder =>
            {
                builder.Services.AddUserPoolPolicies(options =>
                    options.Policies["writers"] = new UserPoolPolicyDefinition { Scopes = { "orders/write" }, Groups = { "staff" } });
                builder.Services.AddOpenApi(options => options.AddUserPoolSecurity("Cognito"));
            },
            app =>
            {
                app.MapOpenApi();
                app.MapGet("/open", () => "ok");
                app.MapGet("/anonymous", [AllowAnonymous] () => "ok").RequireScope("never/listed");
                app.MapGet("/signed-in", () => "ok").RequireAuthorization();
                app.MapGet("/any-of", () => "ok").RequireScope("orders/read", "orders/admin");
                app.MapGet("/stacked", () => "ok").RequireScope("a", "b").RequireScope("c", "d");
                app.MapGet("/same-scope-twice", () => "ok").RequireScope("a", "b").RequireScope("a");
                app.MapGet("/attributes", [RequireScope("reports/export")][RequireGroup("admins", "auditors")] () => "ok");
                app.MapPost("/policy", () => "ok").RequireAuthorization("writers");
                app.MapGroup("/group").RequireGroup("ops").MapGet("/inner", () => "ok").RequireGroup("admins");
                var many = app.MapGet("/many", () => "ok");
                for (var i = 0; i < 6; i++)
                {
                    many.RequireScope($"s{i}/x", $"s{i}/y");
                }
            });

        using var response = await _app.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        _document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private JsonElement Operation(string path, string method = "get") => _document.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static string Security(JsonElement operation) => JsonSerializer.Serialize(operation.GetProperty("security"));

    private static string Groups(JsonElement operation) =>
        operation.TryGetProperty("x-required-groups", out var groups) ? JsonSerializer.Serialize(groups) : "";

    private static bool Answers(JsonElement operation, string status) => operation.GetProperty("responses").TryGetProperty(status, out _);

    [Fact]
    public void The_bearer_scheme_is_declared_under_the_given_name()
    {
        var scheme = _document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Cognito");

        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.Equal("JWT", scheme.GetProperty("bearerFormat").GetString());
    }

    [Fact]
    public void Endpoints_without_authorization_or_allowing_anonymous_carry_no_security()
    {
        foreach (var path in new[] { "/open", "/anonymous" })
        {
            var operation = Operation(path);
            Assert.False(operation.TryGetProperty("security", out _), path);
            Assert.False(Answers(operation, "401"), path);
        }
    }

    [Fact]
    public void A_plain_authorization_requirement_needs_the_scheme_without_scopes_and_answers_401_only()
    {
        var operation = Operation("/signed-in");

        Assert.Equal("[{\"Cognito\":[]}]", Security(operation));
        Assert.True(Answers(operation, "401"));
        Assert.False(Answers(operation, "403"));
    }

    [Fact]
    public void Any_of_scopes_become_alternative_security_objects()
    {
        Assert.Equal("[{\"Cognito\":[\"orders/read\"]},{\"Cognito\":[\"orders/admin\"]}]", Security(Operation("/any-of")));
        Assert.True(Answers(Operation("/any-of"), "403"));
    }

    [Fact]
    public void Stacked_requirements_list_every_combination_of_one_scope_each()
    {
        Assert.Equal(
            "[{\"Cognito\":[\"a\",\"c\"]},{\"Cognito\":[\"a\",\"d\"]},{\"Cognito\":[\"b\",\"c\"]},{\"Cognito\":[\"b\",\"d\"]}]",
            Security(Operation("/stacked")));
        Assert.Equal("[{\"Cognito\":[\"a\"]},{\"Cognito\":[\"b\",\"a\"]}]", Security(Operation("/same-scope-twice")));
    }

    [Fact]
    public void Attributes_named_policies_and_route_groups_are_read_like_conventions()
    {
        var attributes = Operation("/attributes");
        Assert.Equal("[{\"Cognito\":[\"reports/export\"]}]", Security(attributes));
        Assert.Equal("[[\"admins\",\"auditors\"]]", Groups(attributes));

        var policy = Operation("/policy", "post");
        Assert.Equal("[{\"Cognito\":[\"orders/write\"]}]", Security(policy));
        Assert.Equal("[[\"staff\"]]", Groups(policy));

        var inner = Operation("/group/inner");
        Assert.Equal("[{\"Cognito\":[]}]", Security(inner));
        Assert.Equal("[[\"ops\"],[\"admins\"]]", Groups(inner));
        Assert.True(Answers(inner, "403"));
    }

    [Fact]
    public void The_alternatives_of_many_stacked_requirements_are_bounded()
    {
        // 2^6 = 64 combinations; the document lists the first 32.
        Assert.Equal(32, Operation("/many").GetProperty("security").GetArrayLength());
    }

    [Fact]
    public void Arguments_are_checked()
    {
        Assert.Throws<ArgumentNullException>(() => UserPoolOpenApiOptionsExtensions.AddUserPoolSecurity(null!));
        Assert.Throws<ArgumentException>(() => new OpenApiOptions().AddUserPoolSecurity(" "));
    }
}
