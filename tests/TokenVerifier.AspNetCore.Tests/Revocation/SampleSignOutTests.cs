using System.Net;
using TokenVerifier.AspNetCore.Tests.Sample;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Revocation;

/// <summary>The sample's <c>POST /auth/signout</c> on a single instance with the default in-memory store.</summary>
public sealed class SampleSignOutTests(SampleFactory factory) : IClassFixture<SampleFactory>
{
    private static readonly Uri Me = new("/me", UriKind.Relative);
    private static readonly Uri SignOut = new("/auth/signout", UriKind.Relative);

    [Fact]
    public async Task Signing_out_revokes_the_sign_in_and_a_new_sign_in_works()
    {
        var first = factory.Pool.SignIn(new LocalTokenOptions { Username = "frank" });
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWith(first.AccessToken).GetAsync(Me)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await factory.ClientWith(first.AccessToken).PostAsync(SignOut, null)).StatusCode);

        var response = await factory.ClientWith(first.AccessToken).GetAsync(Me);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token has been revoked.\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ClientWith(first.AccessToken).PostAsync(SignOut, null)).StatusCode);

        var second = factory.Pool.SignIn(new LocalTokenOptions { Username = "frank" });
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWith(second.AccessToken).GetAsync(Me)).StatusCode);
    }

    [Fact]
    public async Task A_token_without_origin_jti_is_signed_out_by_its_jti_only()
    {
        var options = new LocalTokenOptions { Username = "grace" };
        options.OmitClaims.Add("origin_jti");
        var token = factory.Pool.MintAccessToken(options);
        var sibling = factory.Pool.MintAccessToken(options);

        Assert.Equal(HttpStatusCode.NoContent, (await factory.ClientWith(token).PostAsync(SignOut, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ClientWith(token).GetAsync(Me)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWith(sibling).GetAsync(Me)).StatusCode);
    }

    [Fact]
    public async Task Signing_out_needs_a_token()
    {
        var response = await factory.CreateClient().PostAsync(SignOut, null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }
}
