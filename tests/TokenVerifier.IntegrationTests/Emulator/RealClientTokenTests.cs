using System.Globalization;
using System.Net;
using System.Text.Json;

namespace TokenVerifier.IntegrationTests.Emulator;

/// <summary>
/// Tokens we did not mint, obtained the way real clients obtain them (cognito-local, signed in through the AWS JavaScript
/// clients), sent over real HTTP to the sample API configured for the emulator's pools.
/// </summary>
[Collection(SharedCognitoEmulator.Name)]
public sealed class RealClientTokenTests(CognitoEmulatorFixture emulator)
{
    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private async Task<JsonElement> AcceptedAsync(string path, string token)
    {
        using var response = await emulator.GetAsync(path, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    private async Task RejectedAsync(string path, string token, string description)
    {
        using var response = await emulator.GetAsync(path, token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"Bearer error=\"invalid_token\", error_description=\"{description}\"", response.Headers.WwwAuthenticate.ToString());
    }

    private async Task ForbiddenAsync(string path, string token)
    {
        using var response = await emulator.GetAsync(path, token);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData(ClientLibrary.AwsSdkV3)]
    [InlineData(ClientLibrary.AmazonCognitoIdentityJs)]
    public async Task Access_token_of_the_configured_client_is_accepted(ClientLibrary library)
    {
        var tokens = await emulator.SignInAsync(library, emulator.Orders, emulator.WebClientId, "alice");
        var claims = TokenSet.Claims(tokens.AccessToken);
        Assert.Equal(emulator.WebClientId, claims.GetProperty("client_id").GetString());

        var me = await AcceptedAsync("/me", tokens.AccessToken);

        Assert.Equal("alice", me.GetProperty("name").GetString());
        Assert.Equal(claims.GetProperty("sub").GetString(), me.GetProperty("sub").GetString());
        Assert.Equal("access", me.GetProperty("tokenUse").GetString());
        Assert.Equal(["admins"], Strings(me.GetProperty("groups")));
        Assert.Equal(["aws.cognito.signin.user.admin"], Strings(me.GetProperty("scopes")));
    }

    [Fact]
    public async Task Access_token_of_another_client_of_the_same_pool_is_401_client()
    {
        var tokens = await emulator.SignInAsync(ClientLibrary.AwsSdkV3, emulator.Orders, emulator.MobileClientId, "alice");
        Assert.Equal(emulator.MobileClientId, TokenSet.Claims(tokens.AccessToken).GetProperty("client_id").GetString());

        await RejectedAsync("/me", tokens.AccessToken, "The token was issued to an app client that is not allowed.");
    }

    [Fact]
    public async Task Id_token_on_an_access_only_endpoint_is_401_token_use()
    {
        var tokens = await emulator.SignInAsync(ClientLibrary.AwsSdkV3, emulator.Orders, emulator.WebClientId, "alice");

        await RejectedAsync("/me", tokens.IdToken, "The token is an ID token, but only access tokens are accepted.");
    }

    [Theory]
    [InlineData(ClientLibrary.AwsSdkV3)]
    [InlineData(ClientLibrary.AmazonCognitoIdentityJs)]
    public async Task Id_token_on_the_id_token_endpoint_is_accepted_and_the_name_is_the_cognito_username(ClientLibrary library)
    {
        var tokens = await emulator.SignInAsync(library, emulator.Orders, emulator.WebClientId, "alice");
        var claims = TokenSet.Claims(tokens.IdToken);
        Assert.Equal("alice", claims.GetProperty("cognito:username").GetString());

        var profile = await AcceptedAsync("/profile", tokens.IdToken);

        Assert.Equal(claims.GetProperty("cognito:username").GetString(), profile.GetProperty("name").GetString());
        Assert.Equal(claims.GetProperty("sub").GetString(), profile.GetProperty("sub").GetString());
        Assert.Equal("id", profile.GetProperty("tokenUse").GetString());
        await RejectedAsync("/profile", tokens.AccessToken, "The token is an access token, but only ID tokens are accepted.");
    }

    [Fact]
    public async Task Group_member_passes_the_group_policy_and_a_member_of_another_group_is_403()
    {
        var alice = await emulator.SignInAsync(ClientLibrary.AwsSdkV3, emulator.Orders, emulator.WebClientId, "alice");
        var bob = await emulator.SignInAsync(ClientLibrary.AwsSdkV3, emulator.Orders, emulator.WebClientId, "bob");

        Assert.Equal(42, (await AcceptedAsync("/admin/stats", alice.AccessToken)).GetProperty("users").GetInt32());
        Assert.Equal(["daily", "weekly"], Strings(await AcceptedAsync("/reports", alice.AccessToken)));

        Assert.Equal(["editors"], Strings((await AcceptedAsync("/me", bob.AccessToken)).GetProperty("groups")));
        await ForbiddenAsync("/admin/stats", bob.AccessToken);
        await ForbiddenAsync("/reports", bob.AccessToken);
    }

    [Fact]
    public async Task Token_of_the_second_pool_is_401_on_the_first_pools_scheme_and_200_where_both_pools_are_trusted()
    {
        var carol = await emulator.SignInAsync(ClientLibrary.AmazonCognitoIdentityJs, emulator.Partners, emulator.PartnerClientId, "carol");
        var alice = await emulator.SignInAsync(ClientLibrary.AmazonCognitoIdentityJs, emulator.Orders, emulator.WebClientId, "alice");
        Assert.Equal(emulator.Partners.Issuer, TokenSet.Claims(carol.AccessToken).GetProperty("iss").GetString());

        await RejectedAsync("/me", carol.AccessToken, "The token's issuer is not a configured user pool.");
        Assert.Equal("carol", (await AcceptedAsync("/any-pool/me", carol.AccessToken)).GetProperty("name").GetString());
        Assert.Equal("alice", (await AcceptedAsync("/any-pool/me", alice.AccessToken)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Token_of_a_short_lived_client_is_accepted_until_its_exp_and_then_401_expired()
    {
        var tokens = await emulator.SignInAsync(ClientLibrary.AwsSdkV3, emulator.Orders, emulator.ShortLivedClientId, "alice");
        var claims = TokenSet.Claims(tokens.AccessToken);
        var expires = claims.GetProperty("exp").GetInt64();
        Assert.Equal((long)CognitoEmulatorFixture.ShortTokenValidity.TotalSeconds, expires - claims.GetProperty("iat").GetInt64());

        emulator.Clock.SetUtcNow(DateTimeOffset.FromUnixTimeSeconds(expires - 1));
        Assert.Equal("alice", (await AcceptedAsync("/me", tokens.AccessToken)).GetProperty("name").GetString());

        emulator.Clock.SetUtcNow(DateTimeOffset.FromUnixTimeSeconds(expires));
        var expiredAt = DateTimeOffset.FromUnixTimeSeconds(expires).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        await RejectedAsync("/me", tokens.AccessToken, $"The token expired at {expiredAt}.");
    }

    [Fact]
    public async Task Sign_out_revokes_the_refresh_token_at_the_emulator_and_the_access_token_at_the_api()
    {
        // Two sign-ins of one user, usually within the same second: only the one signed out may be affected.
        var session = await emulator.SignInAsync(ClientLibrary.AmazonCognitoIdentityJs, emulator.Orders, emulator.WebClientId, "alice");
        var other = await emulator.SignInAsync(ClientLibrary.AmazonCognitoIdentityJs, emulator.Orders, emulator.WebClientId, "alice");
        var claims = TokenSet.Claims(session.AccessToken);

        // Without origin_jti the sample's sign-out can only revoke the presented token, by its jti.
        Assert.False(claims.TryGetProperty("origin_jti", out _));
        Assert.NotEqual(claims.GetProperty("jti").GetString(), TokenSet.Claims(other.AccessToken).GetProperty("jti").GetString());
        Assert.Equal("alice", (await AcceptedAsync("/me", session.AccessToken)).GetProperty("name").GetString());
        Assert.Equal("alice", TokenSet.Claims(await emulator.Cognito.RefreshAsync(emulator.WebClientId, session.RefreshToken)).GetProperty("username").GetString());

        await emulator.RevokeTokenAsync(emulator.WebClientId, session.RefreshToken);

        var refused = await Assert.ThrowsAsync<CognitoApiException>(() => emulator.Cognito.RefreshAsync(emulator.WebClientId, session.RefreshToken));
        Assert.Equal((400, "NotAuthorizedException"), (refused.StatusCode, refused.ErrorType));
        Assert.Equal("alice", TokenSet.Claims(await emulator.Cognito.RefreshAsync(emulator.WebClientId, other.RefreshToken)).GetProperty("username").GetString());

        // RevokeToken stops new tokens but cannot recall a self-contained JWT: only the API's own revocation rejects it.
        Assert.Equal("alice", (await AcceptedAsync("/me", session.AccessToken)).GetProperty("name").GetString());

        using (var signOut = await emulator.SendAsync(HttpMethod.Post, "/auth/signout", session.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        }

        await RejectedAsync("/me", session.AccessToken, "The token has been revoked.");
        Assert.Equal("alice", (await AcceptedAsync("/me", other.AccessToken)).GetProperty("name").GetString());
    }
}
