using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Sample;

/// <summary>
/// The sample's <c>/alb/me</c>: absent as shipped, and behind a local ALB when the <c>Alb</c> section exists. That section
/// names a pool, so the embedded Development pool steps aside (a pool configured anywhere turns it off); the test kit
/// points the app at a local pool instead.
/// </summary>
public sealed class SampleAlbTests(SampleFactory factory) : IClassFixture<SampleFactory>
{
    private const string AlbClientId = "albsampleclient";

    [Fact]
    public async Task Without_the_Alb_section_the_endpoint_does_not_exist()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/alb/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Behind_the_load_balancer_the_user_it_signed_in_is_described_with_groups_and_scopes()
    {
        using var pool = new LocalUserPool("us-east-1_AlbSample1");
        using var alb = new LocalAlb(pool.Issuer, AlbClientId);
        await using var app = new WebApplicationFactory<Program>().WithLocalUserPool(pool).WithWebHostBuilder(host => host
            .UseSetting("Alb:AllowedSigners:0", alb.SignerArn)
            .UseSetting("Alb:UserPoolId", pool.UserPoolId)
            .UseSetting("Alb:ClientId", AlbClientId)
            .ConfigureTestServices(services => services.AddHttpClient(UserPoolAlbDefaults.HttpClientName).ConfigurePrimaryHttpMessageHandler(alb.CreateKeyEndpointHandler)));
        var options = new LocalTokenOptions { ClientId = AlbClientId, Groups = { "admins" }, Scopes = { "orders/read" } };
        var signIn = pool.SignIn(options);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/alb/me");
        request.Headers.Add(UserPoolAlbDefaults.DataHeader, alb.MintData(new LocalAlbTokenOptions { Subject = signIn.Subject, Username = signIn.Username }));
        request.Headers.Add(UserPoolAlbDefaults.AccessTokenHeader, signIn.AccessToken);
        request.Headers.Add(UserPoolAlbDefaults.IdentityHeader, signIn.Subject);
        using var client = app.CreateClient();

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(signIn.Username, body.RootElement.GetProperty("name").GetString());
        Assert.Equal(["admins"], body.RootElement.GetProperty("groups").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["orders/read"], body.RootElement.GetProperty("scopes").EnumerateArray().Select(e => e.GetString()));

        // The bearer endpoints do not read the ALB's headers.
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/me");
        bearer.Headers.Add(UserPoolAlbDefaults.DataHeader, alb.MintData(new LocalAlbTokenOptions { Subject = signIn.Subject }));
        bearer.Headers.Add(UserPoolAlbDefaults.AccessTokenHeader, signIn.AccessToken);
        bearer.Headers.Add(UserPoolAlbDefaults.IdentityHeader, signIn.Subject);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(bearer)).StatusCode);
    }
}
