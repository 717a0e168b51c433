using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Testing;
using static TokenVerifier.Tests.Testing.MintedTokens;

namespace TokenVerifier.Tests.Testing;

/// <summary>Minted tokens carry Cognito's header, claims and claim order, and verify with the published key.</summary>
public sealed class LocalUserPoolMintingTests : LocalUserPoolTestBase
{
    [Fact]
    public void AccessTokenVerifiesWithTheKeyFromTheJwks()
    {
        string token = Pool.MintAccessToken();
        Assert.True(Verifies(token, Pool.GetJwksJson()));
    }

    [Fact]
    public void IdTokenVerifiesWithTheKeyFromTheJwks()
    {
        string token = Pool.MintIdToken();
        Assert.True(Verifies(token, Pool.GetJwksJson()));
    }

    [Fact]
    public void HeaderIsKidThenAlgExactlyAsCognitoWritesIt()
    {
        string token = Pool.MintAccessToken();
        Assert.Equal($$"""{"kid":"{{Pool.CurrentKeyId}}","alg":"RS256"}""", Encoding.UTF8.GetString(Segment(token, 0)));
        Assert.Equal($$"""{"kid":"{{Pool.CurrentKeyId}}","alg":"RS256"}""", Encoding.UTF8.GetString(Segment(Pool.MintIdToken(), 0)));
    }

    [Fact]
    public void AccessTokenHasCognitosClaimsInCognitosOrder()
    {
        var options = new LocalTokenOptions { Username = "bob" };
        options.Groups.Add("admins");
        JsonElement payload = Payload(Pool.MintAccessToken(options));

        Assert.Equal(
            ["sub", "cognito:groups", "iss", "version", "client_id", "origin_jti", "event_id", "token_use", "scope", "auth_time", "exp", "iat", "jti", "username"],
            ClaimNames(payload));
        Assert.Equal(2, payload.GetProperty("version").GetInt32());
        Assert.Equal(Pool.DefaultClientId, payload.GetProperty("client_id").GetString());
        Assert.Equal("access", payload.GetProperty("token_use").GetString());
        Assert.Equal("aws.cognito.signin.user.admin", payload.GetProperty("scope").GetString());
        Assert.Equal("bob", payload.GetProperty("username").GetString());
        Assert.Equal(Pool.Issuer, payload.GetProperty("iss").GetString());
        Assert.Equal(["admins"], payload.GetProperty("cognito:groups").EnumerateArray().Select(e => e.GetString()));
        Assert.False(payload.TryGetProperty("aud", out _));
        AssertUuid(payload.GetProperty("sub").GetString());
        AssertUuid(payload.GetProperty("jti").GetString());
        AssertUuid(payload.GetProperty("origin_jti").GetString());
        AssertUuid(payload.GetProperty("event_id").GetString());
    }

    [Fact]
    public void IdTokenHasCognitosClaimsInCognitosOrder()
    {
        var options = new LocalTokenOptions { Username = "carol" };
        options.Groups.Add("editors");
        options.Groups.Add("admins");
        JsonElement payload = Payload(Pool.MintIdToken(options));

        Assert.Equal(
            ["sub", "cognito:groups", "email_verified", "iss", "cognito:username", "origin_jti", "aud", "event_id", "token_use", "auth_time", "exp", "iat", "jti", "email"],
            ClaimNames(payload));
        Assert.Equal(JsonValueKind.True, payload.GetProperty("email_verified").ValueKind);
        Assert.Equal("carol", payload.GetProperty("cognito:username").GetString());
        Assert.Equal(Pool.DefaultClientId, payload.GetProperty("aud").GetString());
        Assert.Equal("id", payload.GetProperty("token_use").GetString());
        Assert.Equal("carol@example.test", payload.GetProperty("email").GetString());
        Assert.Equal(["editors", "admins"], payload.GetProperty("cognito:groups").EnumerateArray().Select(e => e.GetString()));
        Assert.False(payload.TryGetProperty("client_id", out _));
        Assert.False(payload.TryGetProperty("scope", out _));
        Assert.False(payload.TryGetProperty("username", out _));
    }

    [Fact]
    public void GroupsClaimIsOmittedWhenTheUserIsInNoGroup()
    {
        Assert.False(Payload(Pool.MintAccessToken()).TryGetProperty("cognito:groups", out _));
        Assert.False(Payload(Pool.MintIdToken()).TryGetProperty("cognito:groups", out _));
        Assert.Equal("iss", ClaimNames(Payload(Pool.MintAccessToken()))[1]);
    }

    [Fact]
    public void ScopesAreOneSpaceSeparatedString()
    {
        var options = new LocalTokenOptions();
        options.Scopes.Add("orders/read");
        options.Scopes.Add("orders/write");
        Assert.Equal("orders/read orders/write", Payload(Pool.MintAccessToken(options)).GetProperty("scope").GetString());
    }

    [Fact]
    public void ClientIdEmailSubjectAndIdsCanBeChosen()
    {
        var options = new LocalTokenOptions
        {
            ClientId = "myclient", Email = "x@y.test", Subject = "sub-1", OriginJti = "o-1", Jti = "j-1",
        };
        JsonElement access = Payload(Pool.MintAccessToken(options));
        JsonElement id = Payload(Pool.MintIdToken(options));

        Assert.Equal("myclient", access.GetProperty("client_id").GetString());
        Assert.Equal("myclient", id.GetProperty("aud").GetString());
        Assert.Equal("x@y.test", id.GetProperty("email").GetString());
        Assert.Equal("sub-1", access.GetProperty("sub").GetString());
        Assert.Equal("o-1", access.GetProperty("origin_jti").GetString());
        Assert.Equal("j-1", access.GetProperty("jti").GetString());
        Assert.Equal("j-1", id.GetProperty("jti").GetString());
    }

    [Fact]
    public void SignInPairsShareTheSessionAndHaveDistinctJtis()
    {
        var options = new LocalTokenOptions { Username = "dave" };
        LocalTokenSet set = Pool.SignIn(options);
        JsonElement access = Payload(set.AccessToken);
        JsonElement id = Payload(set.IdToken);

        Assert.Equal("access", access.GetProperty("token_use").GetString());
        Assert.Equal("id", id.GetProperty("token_use").GetString());
        foreach (string shared in new[] { "sub", "origin_jti", "event_id", "auth_time", "iat", "exp" })
        {
            Assert.Equal(access.GetProperty(shared).GetRawText(), id.GetProperty(shared).GetRawText());
        }

        Assert.NotEqual(access.GetProperty("jti").GetString(), id.GetProperty("jti").GetString());
        Assert.Equal(set.Subject, access.GetProperty("sub").GetString());
        Assert.Equal(set.OriginJti, id.GetProperty("origin_jti").GetString());
        Assert.Equal("dave", set.Username);
        Assert.Equal(Pool.DefaultClientId, set.ClientId);
        Assert.Equal(access.GetProperty("client_id").GetString(), id.GetProperty("aud").GetString());
        Assert.True(Verifies(set.AccessToken, Pool.GetJwksJson()));
        Assert.True(Verifies(set.IdToken, Pool.GetJwksJson()));
    }

    [Fact]
    public void SeparateSignInsDoNotShareOriginJtiOrEventId()
    {
        JsonElement first = Payload(Pool.SignIn().AccessToken);
        JsonElement second = Payload(Pool.SignIn().AccessToken);
        Assert.NotEqual(first.GetProperty("origin_jti").GetString(), second.GetProperty("origin_jti").GetString());
        Assert.NotEqual(first.GetProperty("event_id").GetString(), second.GetProperty("event_id").GetString());
        Assert.Equal(first.GetProperty("sub").GetString(), second.GetProperty("sub").GetString());
    }

    [Fact]
    public void SameUserGetsTheSameSubAndDifferentUsersDifferentOnes()
    {
        string alice1 = Payload(Pool.MintAccessToken(new LocalTokenOptions { Username = "alice" })).GetProperty("sub").GetString()!;
        string alice2 = Payload(Pool.MintIdToken(new LocalTokenOptions { Username = "alice" })).GetProperty("sub").GetString()!;
        string bob = Payload(Pool.MintAccessToken(new LocalTokenOptions { Username = "bob" })).GetProperty("sub").GetString()!;
        using var samePoolIdAgain = new LocalUserPool();
        string alice3 = Payload(samePoolIdAgain.MintAccessToken()).GetProperty("sub").GetString()!;

        Assert.Equal(alice1, alice2);
        Assert.Equal(alice1, alice3);
        Assert.NotEqual(alice1, bob);
        AssertUuid(alice1);
    }

    [Fact]
    public void TimesComeFromTheTimeProviderAsIntegerSeconds()
    {
        Time.Advance(TimeSpan.FromMilliseconds(700));
        JsonElement payload = Payload(Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromMinutes(5) }));
        long now = Start.ToUnixTimeSeconds();

        Assert.Equal(JsonValueKind.Number, payload.GetProperty("iat").ValueKind);
        Assert.Equal(now.ToString(CultureInfo.InvariantCulture), payload.GetProperty("iat").GetRawText());
        Assert.Equal(now, payload.GetProperty("auth_time").GetInt64());
        Assert.Equal(now + 300, payload.GetProperty("exp").GetInt64());

        Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(now + 7200, Payload(Pool.MintIdToken()).GetProperty("iat").GetInt64());
    }

    [Fact]
    public void IssuedAtAndAuthTimeCanBeChosen()
    {
        DateTimeOffset issued = Start.AddDays(-1);
        JsonElement payload = Payload(Pool.MintAccessToken(new LocalTokenOptions { IssuedAt = issued, AuthTime = issued.AddMinutes(-10) }));
        Assert.Equal(issued.ToUnixTimeSeconds(), payload.GetProperty("iat").GetInt64());
        Assert.Equal(issued.AddHours(1).ToUnixTimeSeconds(), payload.GetProperty("exp").GetInt64());
        Assert.Equal(issued.AddMinutes(-10).ToUnixTimeSeconds(), payload.GetProperty("auth_time").GetInt64());
    }

    [Fact]
    public void NotBeforeIsOnlyWrittenWhenSet()
    {
        Assert.False(Payload(Pool.MintAccessToken()).TryGetProperty("nbf", out _));
        JsonElement payload = Payload(Pool.MintAccessToken(new LocalTokenOptions { NotBefore = Start.AddMinutes(5) }));
        Assert.Equal(Start.AddMinutes(5).ToUnixTimeSeconds(), payload.GetProperty("nbf").GetInt64());
    }

    [Fact]
    public void ExpiredAccessTokenIsCorrectlySignedAndExpiredByTheGivenAmount()
    {
        string token = Pool.MintExpiredAccessToken(TimeSpan.FromMinutes(10));
        JsonElement payload = Payload(token);

        Assert.True(Verifies(token, Pool.GetJwksJson()));
        Assert.Equal("access", payload.GetProperty("token_use").GetString());
        Assert.Equal(Start.AddMinutes(-10).ToUnixTimeSeconds(), payload.GetProperty("exp").GetInt64());
        Assert.Equal(Start.AddMinutes(-70).ToUnixTimeSeconds(), payload.GetProperty("iat").GetInt64());
        Assert.Throws<ArgumentOutOfRangeException>(() => Pool.MintExpiredAccessToken(TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void AdditionalClaimsOverrideDefaultsInPlaceAndAppendNewOnes()
    {
        var options = new LocalTokenOptions();
        options.AdditionalClaims["token_use"] = "id";
        options.AdditionalClaims["cognito:groups"] = new[] { "g1" };
        options.AdditionalClaims["custom:tenant"] = "acme";
        options.AdditionalClaims["custom:flag"] = false;
        options.AdditionalClaims["custom:int"] = 7;
        options.AdditionalClaims["custom:long"] = 1L << 40;
        options.AdditionalClaims["custom:double"] = 1.5;
        options.AdditionalClaims["custom:list"] = new List<string> { "a", "b" };
        options.AdditionalClaims["custom:null"] = null;
        options.AdditionalClaims["custom:when"] = Start;
        string token = Pool.MintAccessToken(options);
        JsonElement payload = Payload(token);

        Assert.Equal(
            ["sub", "cognito:groups", "iss", "version", "client_id", "origin_jti", "event_id", "token_use", "scope", "auth_time", "exp", "iat", "jti", "username",
             "custom:tenant", "custom:flag", "custom:int", "custom:long", "custom:double", "custom:list", "custom:null", "custom:when"],
            ClaimNames(payload));
        Assert.Equal("id", payload.GetProperty("token_use").GetString());
        Assert.Equal("""["g1"]""", payload.GetProperty("cognito:groups").GetRawText());
        Assert.Equal("acme", payload.GetProperty("custom:tenant").GetString());
        Assert.Equal(JsonValueKind.False, payload.GetProperty("custom:flag").ValueKind);
        Assert.Equal("7", payload.GetProperty("custom:int").GetRawText());
        Assert.Equal(1L << 40, payload.GetProperty("custom:long").GetInt64());
        Assert.Equal(1.5, payload.GetProperty("custom:double").GetDouble());
        Assert.Equal("""["a","b"]""", payload.GetProperty("custom:list").GetRawText());
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("custom:null").ValueKind);
        Assert.Equal(Start.ToUnixTimeSeconds(), payload.GetProperty("custom:when").GetInt64());
        Assert.True(Verifies(token, Pool.GetJwksJson()));
    }

    [Fact]
    public void ClaimTextIsWrittenWithoutNeedlessEscapes()
    {
        var options = new LocalTokenOptions { Username = "zoë" };
        options.AdditionalClaims["custom:path"] = "a+b/c";
        string payload = Encoding.UTF8.GetString(Segment(Pool.MintAccessToken(options), 1));
        Assert.Contains("\"username\":\"zoë\"", payload, StringComparison.Ordinal);
        Assert.Contains("\"custom:path\":\"a+b/c\"", payload, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedClaimValueTypeIsRejected()
    {
        var options = new LocalTokenOptions();
        options.AdditionalClaims["custom:obj"] = new object();
        var ex = Assert.Throws<ArgumentException>(() => Pool.MintAccessToken(options));
        Assert.Contains("custom:obj", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OmittedClaimsAreLeftOutAndTheTokenStillVerifies()
    {
        var options = new LocalTokenOptions();
        options.OmitClaims.Add("exp");
        options.OmitClaims.Add("token_use");
        string token = Pool.MintAccessToken(options);
        JsonElement payload = Payload(token);

        Assert.False(payload.TryGetProperty("exp", out _));
        Assert.False(payload.TryGetProperty("token_use", out _));
        Assert.True(payload.TryGetProperty("iat", out _));
        Assert.True(Verifies(token, Pool.GetJwksJson()));
    }
}
