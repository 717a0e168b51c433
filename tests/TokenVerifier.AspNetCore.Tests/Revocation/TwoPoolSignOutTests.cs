using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Revocation;

/// <summary>
/// The sample trusting two pools, whose users may share a <c>jti</c>, <c>origin_jti</c> or <c>sub</c> (each is unique only
/// within its pool): the sample's <c>POST /auth/signout</c> of one pool's token leaves the other pool's tokens accepted.
/// </summary>
public sealed class TwoPoolSignOutTests : IDisposable
{
    private static readonly Uri Me = new("/me", UriKind.Relative);
    private static readonly Uri SignOut = new("/auth/signout", UriKind.Relative);

    private readonly LocalUserPool _a = new("us-east-1_SignOutA1");
    private readonly LocalUserPool _b = new("us-east-1_SignOutB1");

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    // Pool A through the test kit (keys fetched from it in process), pool B beside it with its key set in configuration.
    private WebApplicationFactory<Program> TwoPoolSample() => new WebApplicationFactory<Program>()
        .WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Production");
            host.UseSetting("UserPool:UserPoolId", "eu-west-1_RealPool9");
            host.UseSetting("UserPool:ClientIds:0", "realclient000000000000000");
        })
        .WithLocalUserPool(_a)
        .WithWebHostBuilder(host => host.ConfigureTestServices(services =>
            services.PostConfigureAll<UserPoolAuthenticationOptions>(options => options.Validation.Pools.Add(new UserPoolOptions
            {
                UserPoolId = _b.UserPoolId,
                Issuer = _b.Issuer,
                Jwks = _b.GetJwksJson(),
                ClientIds = [_b.DefaultClientId],
            }))));

    private static async Task<HttpStatusCode> SendAsync(WebApplicationFactory<Program> app, HttpMethod method, Uri path, string token)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Signing_out_a_sign_in_of_one_pool_leaves_the_other_pools_sign_in_with_the_same_ids_accepted()
    {
        await using var app = TwoPoolSample();
        var same = new LocalTokenOptions { Username = "twin", Subject = "twin-sub", OriginJti = "twin-origin", Jti = "twin-jti" };
        var inA = _a.MintAccessToken(same);
        var inB = _b.MintAccessToken(same);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, HttpMethod.Get, Me, inA));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, HttpMethod.Get, Me, inB));

        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(app, HttpMethod.Post, SignOut, inA));

        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(app, HttpMethod.Get, Me, inA));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, HttpMethod.Get, Me, inB));
    }

    [Fact]
    public async Task Signing_out_a_token_of_one_pool_by_its_jti_leaves_the_other_pools_token_with_the_same_jti_accepted()
    {
        await using var app = TwoPoolSample();

        // Without origin_jti the sample revokes the token by its jti.
        var same = new LocalTokenOptions { Username = "lone", Subject = "lone-sub", Jti = "lone-jti" };
        same.OmitClaims.Add("origin_jti");
        var inA = _a.MintAccessToken(same);
        var inB = _b.MintAccessToken(same);

        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(app, HttpMethod.Post, SignOut, inA));

        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(app, HttpMethod.Get, Me, inA));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, HttpMethod.Get, Me, inB));

        // And the other way round: pool B's sign-out does not touch what is left of pool A's.
        var again = _a.MintAccessToken(new LocalTokenOptions { Username = "lone", Subject = "lone-sub", Jti = "lone-jti-2" });
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(app, HttpMethod.Post, SignOut, inB));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(app, HttpMethod.Get, Me, inB));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, HttpMethod.Get, Me, again));
    }
}
