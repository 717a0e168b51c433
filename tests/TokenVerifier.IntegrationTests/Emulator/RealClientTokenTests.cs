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
    private static string Challenge(HttpResponseMessage response) => response.Headers.WwwAuthenticate.ToString();

    private static string Rejection(string description) => $"Bearer error=\"invalid_token\", error_description=\"{description}\"";

    private static async Task<JsonElement> BodyOf(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    [Theory]
    [InlineData(ClientLibrary.AwsSdkV3)]
    [InlineData(ClientLibrary.AmazonCognitoIdentityJs)]
    public async Task Access_token_of_the_configured_client_is_accepted(ClientLibrary library)
    {
        var tokens = await emulator.SignInAsync(library, emulator.Orders, emulator.WebClientId, "alice");
        var claims = TokenSet.Claims(tokens.AccessToken);
        Assert.Equal(emulator.WebClientId, claims.GetProperty("client_id").GetString());

        using var response = await emulator.GetAsync("/me", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await BodyOf(response);
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

        using var response = await emulator.GetAsync("/me", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Rejection("The token was issued to an app client that is not allowed."), Challenge(response));
    }

    [Fact]
    public async Task Id_token_on_an_access_only_endpoint_is_401_token_use()
    {
        var tokens = await emulator.SignInAsync(ClientLibrary.AwsSdkV3, emulator.Orders, emulator.WebClientId, "alice");

        using var response = await emulator.GetAsync("/me", tokens.IdToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Rejection("The token is an ID token, but only access tokens are accepted."), Challenge(response));
    }

    [Theory]
    [InlineData(ClientLibrary.AwsSdkV3)]
    [InlineData(ClientLibrary.AmazonCognitoIdentityJs)]
    public async Task Id_token_on_the_id_token_endpoint_is_accepted_and_the_name_is_the_cognito_username(ClientLibrary library)
    {
        var tokens = await emulator.SignInAsync(library, emulator.Orders, emulator.WebClientId, "alice");
        var claims = TokenSet.Claims(tokens.IdToken);
        Assert.Equal("alice", claims.GetProperty("cognito:username").GetString());

        using var response = await emulator.GetAsync("/profile", tokens.IdToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var profile = await BodyOf(response);
        Assert.Equal(claims.GetProperty("cognito:username").GetString(), profile.GetProperty("name").GetString());
        Assert.Equal(claims.GetProperty("sub").GetString(), profile.GetProperty("sub").GetString());
        Assert.Equal("id", profile.GetProperty("tokenUse").GetString());

        using var withAccessToken = await emulator.GetAsync("/profile", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, withAccessToken.StatusCode);
        Assert.Equal(Rejection("The token is an access token, but only ID tokens are accepted."), Challenge(withAccessToken));
    }

    [Fact]
    public async Task Group_member_passes_the_group_policy_and_a_member_of_another_group_is_403()
    {
        var alice = await emulator.SignInAsync(ClientLibrary.AwsSdkV3, emulator.Orders, emulator.WebClientId, "alice");
        var bob = await emulator.SignInAsync(ClientLibrary.AwsSdkV3, emulator.Orders, emulator.WebClientId, "bob");

        using var member = await emulator.GetAsync("/admin/stats", alice.AccessToken);
        Assert.Equal(HttpStatusCode.OK, member.StatusCode);
        Assert.Equal(42, (await BodyOf(member)).GetProperty("users").GetInt32());

        using var memberOnController = await emulator.GetAsync("/reports", alice.AccessToken);
        Assert.Equal(HttpStatusCode.OK, memberOnController.StatusCode);
        Assert.Equal(["daily", "weekly"], Strings(await BodyOf(memberOnController)));

        using var authenticated = await emulator.GetAsync("/me", bob.AccessToken);
        Assert.Equal(HttpStatusCode.OK, authenticated.StatusCode);
        Assert.Equal(["editors"], Strings((await BodyOf(authenticated)).GetProperty("groups")));

        using var nonMember = await emulator.GetAsync("/admin/stats", bob.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, nonMember.StatusCode);
        using var nonMemberOnController = await emulator.GetAsync("/reports", bob.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, nonMemberOnController.StatusCode);
    }

    [Fact]
    public async Task Token_of_the_second_pool_is_401_on_the_first_pools_scheme_and_200_where_both_pools_are_trusted()
    {
        var carol = await emulator.SignInAsync(ClientLibrary.AmazonCognitoIdentityJs, emulator.Partners, emulator.PartnerClientId, "carol");
        var alice = await emulator.SignInAsync(ClientLibrary.AmazonCognitoIdentityJs, emulator.Orders, emulator.WebClientId, "alice");
        Assert.Equal(emulator.Partners.Issuer, TokenSet.Claims(carol.AccessToken).GetProperty("iss").GetString());

        using var firstPoolOnly = await emulator.GetAsync("/me", carol.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, firstPoolOnly.StatusCode);
        Assert.Equal(Rejection("The token's issuer is not a configured user pool."), Challenge(firstPoolOnly));

        using var bothPools = await emulator.GetAsync("/any-pool/me", carol.AccessToken);
        Assert.Equal(HttpStatusCode.OK, bothPools.StatusCode);
        Assert.Equal("carol", (await BodyOf(bothPools)).GetProperty("name").GetString());

        using var firstPoolOnBoth = await emulator.GetAsync("/any-pool/me", alice.AccessToken);
        Assert.Equal(HttpStatusCode.OK, firstPoolOnBoth.StatusCode);
        Assert.Equal("alice", (await BodyOf(firstPoolOnBoth)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Token_of_a_short_lived_client_is_accepted_until_its_exp_and_then_401_expired()
    {
        var tokens = await emulator.SignInAsync(ClientLibrary.AwsSdkV3, emulator.Orders, emulator.ShortLivedClientId, "alice");
        var claims = TokenSet.Claims(tokens.AccessToken);
        var issuedAt = claims.GetProperty("iat").GetInt64();
        var expires = claims.GetProperty("exp").GetInt64();
        Assert.Equal((long)CognitoEmulatorFixture.ShortTokenValidity.TotalSeconds, expires - issuedAt);

        emulator.Clock.SetUtcNow(DateTimeOffset.FromUnixTimeSeconds(expires - 1));
        using var lastSecond = await emulator.GetAsync("/me", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, lastSecond.StatusCode);

        emulator.Clock.SetUtcNow(DateTimeOffset.FromUnixTimeSeconds(expires));
        using var atExpiry = await emulator.GetAsync("/me", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, atExpiry.StatusCode);
        var expiredAt = DateTimeOffset.FromUnixTimeSeconds(expires).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        Assert.Equal(Rejection($"The token expired at {expiredAt}."), Challenge(atExpiry));
    }
}
