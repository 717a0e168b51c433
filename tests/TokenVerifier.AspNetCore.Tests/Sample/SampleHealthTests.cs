using System.Net;
using System.Text.Json;

namespace TokenVerifier.AspNetCore.Tests.Sample;

public sealed class SampleHealthTests(SampleFactory factory) : IClassFixture<SampleFactory>
{
    [Fact]
    public async Task Health_reports_fresh_keys_and_a_reachable_revocation_store()
    {
        var response = await factory.CreateClient().GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        var checks = body.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("userpool-keys").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("userpool-revocation").GetProperty("status").GetString());
        var keyData = checks.GetProperty("userpool-keys").GetProperty("data");
        // The embedded pool's keys are configured, not fetched: the entry is named for the set, not for an AWS address.
        Assert.Contains(keyData.EnumerateObject(), p => p.Name.StartsWith("urn:tokenverifier:jwks:", StringComparison.Ordinal));
    }
}
