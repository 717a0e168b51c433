using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;

namespace TokenVerifier.AspNetCore.Tests.Sample;

/// <summary>The sample's optional schemes (UserPoolIdTokens, UserPoolAll) exist only when configured; the integration tests configure them.</summary>
public sealed class SampleOptionalSchemeTests(SampleFactory factory) : IClassFixture<SampleFactory>
{
    [Theory]
    [InlineData("/profile")]
    [InlineData("/any-pool/me")]
    public async Task Without_their_sections_the_optional_endpoints_do_not_exist(string path)
    {
        var response = await factory.ClientFor("alice").GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Without_their_sections_only_the_default_scheme_is_registered()
    {
        var schemes = await factory.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetAllSchemesAsync();
        Assert.Equal(["UserPool"], schemes.Select(s => s.Name));
    }
}
