using System.Net;
using System.Text.Json;

namespace TokenVerifier.AspNetCore.Tests.Sample;

/// <summary>The sample's OpenAPI document states what each endpoint enforces.</summary>
public sealed class OpenApiDocumentTests(SampleFactory factory) : IClassFixture<SampleFactory>
{
    private async Task<JsonElement> DocumentAsync()
    {
        var response = await factory.CreateClient().GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static JsonElement Operation(JsonElement document, string path, string method) =>
        document.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static string[] Scopes(JsonElement operation) =>
        [.. Assert.Single(operation.GetProperty("security").EnumerateArray()).GetProperty("Bearer").EnumerateArray().Select(e => e.GetString()!)];

    private static string Groups(JsonElement operation) =>
        operation.TryGetProperty("x-required-groups", out var groups) ? JsonSerializer.Serialize(groups) : "";

    [Fact]
    public async Task The_bearer_scheme_is_declared()
    {
        var scheme = (await DocumentAsync()).GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.Equal("JWT", scheme.GetProperty("bearerFormat").GetString());
    }

    [Fact]
    public async Task Each_endpoint_lists_the_scopes_and_groups_it_enforces()
    {
        var document = await DocumentAsync();

        var readOrders = Operation(document, "/orders", "get");
        Assert.Equal(["orders/read"], Scopes(readOrders));
        Assert.Equal("", Groups(readOrders));
        Assert.True(readOrders.GetProperty("responses").TryGetProperty("403", out _));

        Assert.Equal(["orders/write"], Scopes(Operation(document, "/orders", "post")));

        // Any of two scopes: two alternative security objects.
        var one = Operation(document, "/orders/{id}", "get");
        Assert.Equal(
            "[{\"Bearer\":[\"orders/read\"]},{\"Bearer\":[\"orders/admin\"]}]",
            JsonSerializer.Serialize(one.GetProperty("security")));

        var stats = Operation(document, "/admin/stats", "get");
        Assert.Empty(Scopes(stats));
        Assert.Equal("[[\"admins\"]]", Groups(stats));

        var export = Operation(document, "/reports/export", "post");
        Assert.Equal(["reports/export"], Scopes(export));
        Assert.Equal("[[\"admins\"]]", Groups(export));
        Assert.Equal("[[\"admins\"],[\"auditors\"]]", Groups(Operation(document, "/reports/audit", "get")));

        var me = Operation(document, "/me", "get");
        Assert.Empty(Scopes(me));
        Assert.True(me.GetProperty("responses").TryGetProperty("401", out _));
        Assert.False(me.GetProperty("responses").TryGetProperty("403", out _));
    }

    [Fact]
    public async Task Operations_document_the_status_codes_they_answer()
    {
        var document = await DocumentAsync();

        var create = Operation(document, "/orders", "post").GetProperty("responses");
        Assert.True(create.TryGetProperty("201", out _));
        Assert.False(create.TryGetProperty("200", out _));

        var signOut = Operation(document, "/auth/signout", "post").GetProperty("responses");
        foreach (var status in new[] { "204", "400", "401", "503" })
        {
            Assert.True(signOut.TryGetProperty(status, out _), status);
        }

        Assert.False(signOut.TryGetProperty("200", out _));
    }

    [Fact]
    public async Task Anonymous_endpoints_carry_no_security()
    {
        var document = await DocumentAsync();
        Assert.False(Operation(document, "/", "get").TryGetProperty("security", out _));
        Assert.False(Operation(document, "/dev/token", "post").TryGetProperty("security", out _));
    }

    [Fact]
    public async Task The_interactive_ui_is_served_in_development()
    {
        var response = await factory.CreateClient().GetAsync(new Uri("/swagger/index.html", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger-ui", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
