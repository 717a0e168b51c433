using System.Net;
using System.Text.Json;

namespace TokenVerifier.AspNetCore.Tests.Sample;

/// <summary>
/// <c>/health</c> through the library's response writer: strangers get the status only; loopback requests without a
/// forwarded-for header and callers meeting the sample's <c>admins</c> policy get key addresses and fetch errors, in ISO 8601.
/// </summary>
public sealed class SampleHealthDetailsTests
{
    private static readonly Uri Health = new("/health", UriKind.Relative);
    private static readonly IPAddress Stranger = IPAddress.Parse("198.51.100.20");

    private static async Task<string> BodyAsync(HttpClient client) => await (await client.GetAsync(Health)).Content.ReadAsStringAsync();

    [Fact]
    public async Task An_anonymous_caller_from_another_machine_gets_the_status_only()
    {
        await using var sample = new SampleFactory { RemoteAddress = Stranger };
        var response = await sample.CreateClient().GetAsync(Health);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"status\":\"Healthy\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_loopback_request_relayed_by_a_proxy_gets_the_status_only()
    {
        await using var sample = new SampleFactory();
        var client = sample.CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.20");
        Assert.Equal("{\"status\":\"Healthy\"}", await BodyAsync(client));
    }

    [Fact]
    public async Task A_caller_outside_the_details_policy_gets_the_status_only()
    {
        await using var sample = new SampleFactory { RemoteAddress = Stranger };
        Assert.Equal("{\"status\":\"Healthy\"}", await BodyAsync(sample.ClientFor("eve", groups: ["editors"])));
    }

    [Fact]
    public async Task A_caller_meeting_the_details_policy_gets_the_details_from_anywhere()
    {
        await using var sample = new SampleFactory { RemoteAddress = Stranger };
        using var body = JsonDocument.Parse(await BodyAsync(sample.ClientFor("ops", groups: ["admins"])));
        var keys = body.RootElement.GetProperty("checks").GetProperty("userpool-keys");
        Assert.StartsWith("urn:tokenverifier:jwks:", keys.GetProperty("data").EnumerateObject().Single().Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Details_are_json_with_iso_8601_times_not_a_records_text()
    {
        await using var sample = new SampleFactory();
        using var body = JsonDocument.Parse(await BodyAsync(sample.CreateClient()));
        var keys = body.RootElement.GetProperty("checks").GetProperty("userpool-keys").GetProperty("data").EnumerateObject().Single().Value;

        Assert.Equal(JsonValueKind.Object, keys.ValueKind);
        Assert.Equal("Fresh", keys.GetProperty("state").GetString());
        Assert.StartsWith("urn:tokenverifier:jwks:", keys.GetProperty("jwksUri").GetString(), StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", keys.GetProperty("lastRefreshed").GetString());
        Assert.Equal(JsonValueKind.Null, keys.GetProperty("lastError").ValueKind);
    }
}
