using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Testing;

namespace TokenVerifier.Tests.Testing;

public sealed class LocalUserPoolTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly LocalUserPool _pool;

    public LocalUserPoolTests() => _pool = new LocalUserPool(timeProvider: _time);

    public void Dispose() => _pool.Dispose();

    [Fact]
    public void DefaultsLookLikeACognitoPool()
    {
        Assert.Equal("us-east-1_LocalPool1", _pool.UserPoolId);
        Assert.Equal("us-east-1", _pool.Region);
        Assert.Equal("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_LocalPool1", _pool.Issuer);
        Assert.Equal(new Uri("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_LocalPool1/.well-known/jwks.json"), _pool.JwksUri);
        Assert.Matches("^[a-z0-9]{26}$", _pool.DefaultClientId);
        Assert.Matches("^[A-Za-z0-9+/]{43}=$", _pool.CurrentKeyId);
        Assert.Equal([_pool.CurrentKeyId], _pool.PublishedKeyIds);
        Assert.Equal(0, _pool.JwksRequestCount);
    }

    [Fact]
    public void TwoPoolsHaveDifferentKeysAndClientIds()
    {
        using var other = new LocalUserPool();
        Assert.NotEqual(_pool.CurrentKeyId, other.CurrentKeyId);
        Assert.NotEqual(_pool.DefaultClientId, other.DefaultClientId);
        Assert.False(Verifies(other.MintAccessToken(), _pool.GetJwksJson()));
    }

    [Theory]
    [InlineData("eu-west-2_AbC123", "eu-west-2")]
    [InlineData("us-gov-west-1_x", "us-gov-west-1")]
    [InlineData("ap-southeast-10_Pool", "ap-southeast-10")]
    public void RegionIsThePrefixOfThePoolId(string userPoolId, string region)
    {
        using var pool = new LocalUserPool(userPoolId);
        Assert.Equal(region, pool.Region);
        Assert.Equal($"https://cognito-idp.{region}.amazonaws.com/{userPoolId}", pool.Issuer);
    }

    [Theory]
    [InlineData("")]
    [InlineData("nope")]
    [InlineData("us-east-1")]
    [InlineData("us-east-1_")]
    [InlineData("_AbC123")]
    [InlineData("US-EAST-1_AbC123")]
    [InlineData("us-east_AbC123")]
    [InlineData("useast1_AbC123")]
    [InlineData("us-east-1_Ab-C")]
    [InlineData("us-east-1_AbC123 ")]
    [InlineData("local_AbC123")]
    public void MalformedPoolIdIsRejectedWithAClearMessage(string userPoolId)
    {
        var ex = Assert.Throws<ArgumentException>(() => new LocalUserPool(userPoolId));
        Assert.Equal("userPoolId", ex.ParamName);
        Assert.Contains("us-east-1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullPoolIdIsRejected()
    {
        Assert.Throws<ArgumentNullException>(() => new LocalUserPool(null!));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("ftp://example.test/pool")]
    public void MalformedIssuerIsRejected(string issuer)
    {
        var ex = Assert.Throws<ArgumentException>(() => new LocalUserPool(issuer: issuer));
        Assert.Equal("issuer", ex.ParamName);
    }

    [Fact]
    public void IssuerOverrideChangesIssAndJwksUri()
    {
        using var pool = new LocalUserPool("us-west-2_Emu1", issuer: "http://localhost:9229/us-west-2_Emu1");
        Assert.Equal("http://localhost:9229/us-west-2_Emu1", pool.Issuer);
        Assert.Equal(new Uri("http://localhost:9229/us-west-2_Emu1/.well-known/jwks.json"), pool.JwksUri);
        Assert.Equal("us-west-2", pool.Region);
        Assert.Equal("http://localhost:9229/us-west-2_Emu1", Payload(pool.MintAccessToken()).GetProperty("iss").GetString());
        Assert.Equal("http://localhost:9229/us-west-2_Emu1", Payload(pool.MintIdToken()).GetProperty("iss").GetString());
    }

    [Fact]
    public void AccessTokenVerifiesWithTheKeyFromTheJwks()
    {
        string token = _pool.MintAccessToken();
        Assert.True(Verifies(token, _pool.GetJwksJson()));
    }

    [Fact]
    public void IdTokenVerifiesWithTheKeyFromTheJwks()
    {
        string token = _pool.MintIdToken();
        Assert.True(Verifies(token, _pool.GetJwksJson()));
    }

    [Fact]
    public void HeaderIsKidThenAlgExactlyAsCognitoWritesIt()
    {
        string token = _pool.MintAccessToken();
        Assert.Equal($$"""{"kid":"{{_pool.CurrentKeyId}}","alg":"RS256"}""", Encoding.UTF8.GetString(Segment(token, 0)));
        Assert.Equal($$"""{"kid":"{{_pool.CurrentKeyId}}","alg":"RS256"}""", Encoding.UTF8.GetString(Segment(_pool.MintIdToken(), 0)));
    }

    [Fact]
    public void AccessTokenHasCognitosClaimsInCognitosOrder()
    {
        var options = new LocalTokenOptions { Username = "bob" };
        options.Groups.Add("admins");
        JsonElement payload = Payload(_pool.MintAccessToken(options));

        Assert.Equal(
            ["sub", "cognito:groups", "iss", "version", "client_id", "origin_jti", "event_id", "token_use", "scope", "auth_time", "exp", "iat", "jti", "username"],
            ClaimNames(payload));
        Assert.Equal(2, payload.GetProperty("version").GetInt32());
        Assert.Equal(_pool.DefaultClientId, payload.GetProperty("client_id").GetString());
        Assert.Equal("access", payload.GetProperty("token_use").GetString());
        Assert.Equal("aws.cognito.signin.user.admin", payload.GetProperty("scope").GetString());
        Assert.Equal("bob", payload.GetProperty("username").GetString());
        Assert.Equal(_pool.Issuer, payload.GetProperty("iss").GetString());
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
        JsonElement payload = Payload(_pool.MintIdToken(options));

        Assert.Equal(
            ["sub", "cognito:groups", "email_verified", "iss", "cognito:username", "origin_jti", "aud", "event_id", "token_use", "auth_time", "exp", "iat", "jti", "email"],
            ClaimNames(payload));
        Assert.Equal(JsonValueKind.True, payload.GetProperty("email_verified").ValueKind);
        Assert.Equal("carol", payload.GetProperty("cognito:username").GetString());
        Assert.Equal(_pool.DefaultClientId, payload.GetProperty("aud").GetString());
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
        Assert.False(Payload(_pool.MintAccessToken()).TryGetProperty("cognito:groups", out _));
        Assert.False(Payload(_pool.MintIdToken()).TryGetProperty("cognito:groups", out _));
        Assert.Equal("iss", ClaimNames(Payload(_pool.MintAccessToken()))[1]);
    }

    [Fact]
    public void ScopesAreOneSpaceSeparatedString()
    {
        var options = new LocalTokenOptions();
        options.Scopes.Add("orders/read");
        options.Scopes.Add("orders/write");
        Assert.Equal("orders/read orders/write", Payload(_pool.MintAccessToken(options)).GetProperty("scope").GetString());
    }

    [Fact]
    public void ClientIdEmailSubjectAndIdsCanBeChosen()
    {
        var options = new LocalTokenOptions
        {
            ClientId = "myclient", Email = "x@y.test", Subject = "sub-1", OriginJti = "o-1", Jti = "j-1",
        };
        JsonElement access = Payload(_pool.MintAccessToken(options));
        JsonElement id = Payload(_pool.MintIdToken(options));

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
        LocalTokenSet set = _pool.SignIn(options);
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
        Assert.Equal(_pool.DefaultClientId, set.ClientId);
        Assert.Equal(access.GetProperty("client_id").GetString(), id.GetProperty("aud").GetString());
        Assert.True(Verifies(set.AccessToken, _pool.GetJwksJson()));
        Assert.True(Verifies(set.IdToken, _pool.GetJwksJson()));
    }

    [Fact]
    public void SeparateSignInsDoNotShareOriginJtiOrEventId()
    {
        JsonElement first = Payload(_pool.SignIn().AccessToken);
        JsonElement second = Payload(_pool.SignIn().AccessToken);
        Assert.NotEqual(first.GetProperty("origin_jti").GetString(), second.GetProperty("origin_jti").GetString());
        Assert.NotEqual(first.GetProperty("event_id").GetString(), second.GetProperty("event_id").GetString());
        Assert.Equal(first.GetProperty("sub").GetString(), second.GetProperty("sub").GetString());
    }

    [Fact]
    public void SameUserGetsTheSameSubAndDifferentUsersDifferentOnes()
    {
        string alice1 = Payload(_pool.MintAccessToken(new LocalTokenOptions { Username = "alice" })).GetProperty("sub").GetString()!;
        string alice2 = Payload(_pool.MintIdToken(new LocalTokenOptions { Username = "alice" })).GetProperty("sub").GetString()!;
        string bob = Payload(_pool.MintAccessToken(new LocalTokenOptions { Username = "bob" })).GetProperty("sub").GetString()!;
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
        _time.Advance(TimeSpan.FromMilliseconds(700));
        JsonElement payload = Payload(_pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromMinutes(5) }));
        long now = Start.ToUnixTimeSeconds();

        Assert.Equal(JsonValueKind.Number, payload.GetProperty("iat").ValueKind);
        Assert.Equal(now.ToString(CultureInfo.InvariantCulture), payload.GetProperty("iat").GetRawText());
        Assert.Equal(now, payload.GetProperty("auth_time").GetInt64());
        Assert.Equal(now + 300, payload.GetProperty("exp").GetInt64());

        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(now + 7200, Payload(_pool.MintIdToken()).GetProperty("iat").GetInt64());
    }

    [Fact]
    public void IssuedAtAndAuthTimeCanBeChosen()
    {
        DateTimeOffset issued = Start.AddDays(-1);
        JsonElement payload = Payload(_pool.MintAccessToken(new LocalTokenOptions { IssuedAt = issued, AuthTime = issued.AddMinutes(-10) }));
        Assert.Equal(issued.ToUnixTimeSeconds(), payload.GetProperty("iat").GetInt64());
        Assert.Equal(issued.AddHours(1).ToUnixTimeSeconds(), payload.GetProperty("exp").GetInt64());
        Assert.Equal(issued.AddMinutes(-10).ToUnixTimeSeconds(), payload.GetProperty("auth_time").GetInt64());
    }

    [Fact]
    public void NotBeforeIsOnlyWrittenWhenSet()
    {
        Assert.False(Payload(_pool.MintAccessToken()).TryGetProperty("nbf", out _));
        JsonElement payload = Payload(_pool.MintAccessToken(new LocalTokenOptions { NotBefore = Start.AddMinutes(5) }));
        Assert.Equal(Start.AddMinutes(5).ToUnixTimeSeconds(), payload.GetProperty("nbf").GetInt64());
    }

    [Fact]
    public void ExpiredAccessTokenIsCorrectlySignedAndExpiredByTheGivenAmount()
    {
        string token = _pool.MintExpiredAccessToken(TimeSpan.FromMinutes(10));
        JsonElement payload = Payload(token);

        Assert.True(Verifies(token, _pool.GetJwksJson()));
        Assert.Equal("access", payload.GetProperty("token_use").GetString());
        Assert.Equal(Start.AddMinutes(-10).ToUnixTimeSeconds(), payload.GetProperty("exp").GetInt64());
        Assert.Equal(Start.AddMinutes(-70).ToUnixTimeSeconds(), payload.GetProperty("iat").GetInt64());
        Assert.Throws<ArgumentOutOfRangeException>(() => _pool.MintExpiredAccessToken(TimeSpan.FromSeconds(-1)));
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
        string token = _pool.MintAccessToken(options);
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
        Assert.True(Verifies(token, _pool.GetJwksJson()));
    }

    [Fact]
    public void ClaimTextIsWrittenWithoutNeedlessEscapes()
    {
        var options = new LocalTokenOptions { Username = "zoë" };
        options.AdditionalClaims["custom:path"] = "a+b/c";
        string payload = Encoding.UTF8.GetString(Segment(_pool.MintAccessToken(options), 1));
        Assert.Contains("\"username\":\"zoë\"", payload, StringComparison.Ordinal);
        Assert.Contains("\"custom:path\":\"a+b/c\"", payload, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedClaimValueTypeIsRejected()
    {
        var options = new LocalTokenOptions();
        options.AdditionalClaims["custom:obj"] = new object();
        var ex = Assert.Throws<ArgumentException>(() => _pool.MintAccessToken(options));
        Assert.Contains("custom:obj", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OmittedClaimsAreLeftOutAndTheTokenStillVerifies()
    {
        var options = new LocalTokenOptions();
        options.OmitClaims.Add("exp");
        options.OmitClaims.Add("token_use");
        string token = _pool.MintAccessToken(options);
        JsonElement payload = Payload(token);

        Assert.False(payload.TryGetProperty("exp", out _));
        Assert.False(payload.TryGetProperty("token_use", out _));
        Assert.True(payload.TryGetProperty("iat", out _));
        Assert.True(Verifies(token, _pool.GetJwksJson()));
    }

    [Fact]
    public void RotationKeepsThePreviousKeyPublishedByDefault()
    {
        string oldKid = _pool.CurrentKeyId;
        string oldToken = _pool.MintAccessToken();
        string newKid = _pool.RotateKey();
        string newToken = _pool.MintAccessToken();

        Assert.NotEqual(oldKid, newKid);
        Assert.Equal(newKid, _pool.CurrentKeyId);
        Assert.Equal([oldKid, newKid], _pool.PublishedKeyIds);
        Assert.Equal([oldKid, newKid], JwksKids(_pool.GetJwksJson()));
        Assert.Equal(newKid, Header(newToken).GetProperty("kid").GetString());
        Assert.True(Verifies(oldToken, _pool.GetJwksJson()));
        Assert.True(Verifies(newToken, _pool.GetJwksJson()));
        Assert.True(Verifies(_pool.MintAccessToken(new LocalTokenOptions { KeyId = oldKid }), _pool.GetJwksJson()));
    }

    [Fact]
    public void RotationWithoutKeepingDropsThePreviousKey()
    {
        string oldKid = _pool.CurrentKeyId;
        string oldToken = _pool.MintAccessToken();
        string newKid = _pool.RotateKey(keepPreviousKey: false);

        Assert.Equal([newKid], _pool.PublishedKeyIds);
        Assert.Equal([newKid], JwksKids(_pool.GetJwksJson()));
        Assert.False(Verifies(oldToken, _pool.GetJwksJson()));
        Assert.Throws<ArgumentException>(() => _pool.MintAccessToken(new LocalTokenOptions { KeyId = oldKid }));
        Assert.Throws<ArgumentException>(() => _pool.ExportPublicKey(oldKid));
    }

    [Fact]
    public void RemovedKeyIsUnpublishedAndCannotSign()
    {
        string oldKid = _pool.CurrentKeyId;
        string oldToken = _pool.MintAccessToken();
        string newKid = _pool.RotateKey();

        _pool.RemoveKey(oldKid);

        Assert.Equal([newKid], _pool.PublishedKeyIds);
        Assert.False(Verifies(oldToken, _pool.GetJwksJson()));
        Assert.Throws<ArgumentException>(() => _pool.SignRaw("{}", "{}", oldKid));
        Assert.Throws<ArgumentException>(() => _pool.RemoveKey(oldKid));
        Assert.Throws<InvalidOperationException>(() => _pool.RemoveKey(newKid));
        Assert.Equal([newKid], _pool.PublishedKeyIds);
    }

    [Fact]
    public void SigningWithAnUnknownKidIsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => _pool.MintIdToken(new LocalTokenOptions { KeyId = "nope" }));
        Assert.Contains("nope", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JwksListsRsaSigningKeysInMinimalBase64url()
    {
        using JsonDocument jwks = JsonDocument.Parse(_pool.GetJwksJson());
        JsonElement key = Assert.Single(jwks.RootElement.GetProperty("keys").EnumerateArray());

        Assert.Equal(["kty", "kid", "use", "alg", "n", "e"], key.EnumerateObject().Select(p => p.Name));
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.Equal("RS256", key.GetProperty("alg").GetString());
        Assert.Equal(_pool.CurrentKeyId, key.GetProperty("kid").GetString());
        Assert.Equal("AQAB", key.GetProperty("e").GetString());
        string n = key.GetProperty("n").GetString()!;
        Assert.Matches("^[A-Za-z0-9_-]+$", n);
        byte[] modulus = Base64Url.DecodeFromChars(n);
        Assert.Equal(256, modulus.Length);
        Assert.NotEqual(0, modulus[0]);

        RSAParameters exported = _pool.ExportPublicKey(_pool.CurrentKeyId);
        Assert.Equal(modulus, exported.Modulus);
        Assert.Equal(new byte[] { 1, 0, 1 }, exported.Exponent);
        Assert.Null(exported.D);
    }

    [Fact]
    public void KeySizeIsHonoured()
    {
        using var pool = new LocalUserPool(keySizeInBits: 3072);
        Assert.Equal(384, pool.ExportPublicKey(pool.CurrentKeyId).Modulus!.Length);
        Assert.True(Verifies(pool.MintAccessToken(), pool.GetJwksJson()));
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => new LocalUserPool(keySizeInBits: 0));
    }

    [Fact]
    public async Task HandlerServesTheJwksOnGetAndCountsRequests()
    {
        using var client = new HttpClient(_pool.CreateJwksHandler());
        using HttpResponseMessage response = await client.GetAsync(_pool.JwksUri);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(_pool.GetJwksJson(), await response.Content.ReadAsStringAsync());
        Assert.Equal(1, _pool.JwksRequestCount);

        _pool.RotateKey();
        string afterRotation = await client.GetStringAsync(_pool.JwksUri);
        Assert.Equal(_pool.PublishedKeyIds, JwksKids(afterRotation));
        Assert.Equal(2, _pool.JwksRequestCount);
    }

    [Fact]
    public async Task HandlerMatchesThePathOnAnyHostOrScheme()
    {
        using var client = new HttpClient(_pool.CreateJwksHandler());
        using HttpResponseMessage response = await client.GetAsync(new Uri("http://127.0.0.1:9229" + _pool.JwksUri.AbsolutePath + "?x=1"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _pool.JwksRequestCount);
    }

    [Theory]
    [InlineData("/us-east-1_LocalPool1/.well-known/openid-configuration")]
    [InlineData("/us-east-1_LocalPool1/.well-known/jwks.json/")]
    [InlineData("/us-east-1_OtherPool/.well-known/jwks.json")]
    [InlineData("/US-EAST-1_LOCALPOOL1/.well-known/jwks.json")]
    [InlineData("/")]
    public async Task HandlerAnswers404ForOtherPathsWithoutCounting(string path)
    {
        using var client = new HttpClient(_pool.CreateJwksHandler());
        using HttpResponseMessage response = await client.GetAsync(new Uri("https://cognito-idp.us-east-1.amazonaws.com" + path));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, _pool.JwksRequestCount);
    }

    [Theory]
    [InlineData("HEAD")]
    [InlineData("POST")]
    [InlineData("PUT")]
    public async Task HandlerAnswers405ForOtherMethodsWithoutCounting(string method)
    {
        using var client = new HttpClient(_pool.CreateJwksHandler());
        using var request = new HttpRequestMessage(new HttpMethod(method), _pool.JwksUri);
        using HttpResponseMessage response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("GET", response.Content.Headers.Allow);
        Assert.Equal(0, _pool.JwksRequestCount);
    }

    [Fact]
    public async Task HandlerCanSimulateAnOutage()
    {
        using var client = new HttpClient(_pool.CreateJwksHandler());
        _pool.JwksFailureStatus = HttpStatusCode.ServiceUnavailable;
        using (HttpResponseMessage failed = await client.GetAsync(_pool.JwksUri))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        }

        _pool.JwksFailureStatus = null;
        using (HttpResponseMessage recovered = await client.GetAsync(_pool.JwksUri))
        {
            Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        }

        Assert.Equal(2, _pool.JwksRequestCount);
    }

    [Fact]
    public async Task HandlerCountsConcurrentRequestsExactly()
    {
        using var client = new HttpClient(_pool.CreateJwksHandler());
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => client.GetStringAsync(_pool.JwksUri))));
        Assert.Equal(200, _pool.JwksRequestCount);
    }

    [Fact]
    public void TamperedSignatureNoLongerVerifies()
    {
        string token = _pool.MintAccessToken();
        string tampered = LocalUserPool.TamperSignature(token);
        string[] before = token.Split('.');
        string[] after = tampered.Split('.');

        Assert.Equal(before[0], after[0]);
        Assert.Equal(before[1], after[1]);
        Assert.NotEqual(before[2], after[2]);
        byte[] original = Base64Url.DecodeFromChars(before[2]);
        byte[] flipped = Base64Url.DecodeFromChars(after[2]);
        Assert.Equal(original.Length, flipped.Length);
        Assert.Equal(1, original.Zip(flipped, (a, b) => BitCount(a ^ b)).Sum());
        Assert.False(Verifies(tampered, _pool.GetJwksJson()));
    }

    [Fact]
    public void TamperedPayloadKeepsTheOldSignatureAndNoLongerVerifies()
    {
        string token = _pool.MintAccessToken();
        string tampered = LocalUserPool.TamperPayload(token, "username", "\"admin\"");
        JsonElement payload = Payload(tampered);

        Assert.Equal("admin", payload.GetProperty("username").GetString());
        Assert.Equal(ClaimNames(Payload(token)), ClaimNames(payload));
        Assert.Equal(token.Split('.')[0], tampered.Split('.')[0]);
        Assert.Equal(token.Split('.')[2], tampered.Split('.')[2]);
        Assert.False(Verifies(tampered, _pool.GetJwksJson()));
    }

    [Fact]
    public void TamperingAnAbsentClaimAddsItAndBadInputIsRejected()
    {
        string token = _pool.MintAccessToken();
        JsonElement payload = Payload(LocalUserPool.TamperPayload(token, "cognito:groups", """["admins"]"""));
        Assert.Equal("cognito:groups", ClaimNames(payload)[^1]);
        Assert.Equal("""["admins"]""", payload.GetProperty("cognito:groups").GetRawText());

        Assert.Throws<ArgumentException>(() => LocalUserPool.TamperPayload(token, "exp", "not json"));
        Assert.Throws<ArgumentException>(() => LocalUserPool.TamperPayload("a.b", "exp", "1"));
        Assert.Throws<ArgumentException>(() => LocalUserPool.TamperSignature("a.b.c.d"));
        Assert.Throws<ArgumentException>(() => LocalUserPool.TamperSignature("a.b."));
    }

    [Fact]
    public void TokenSignedWithAnUnpublishedKeyCarriesTheCurrentKidButDoesNotVerify()
    {
        string jwksBefore = _pool.GetJwksJson();
        string token = _pool.SignWithUnpublishedKey();

        Assert.Equal(_pool.CurrentKeyId, Header(token).GetProperty("kid").GetString());
        Assert.Equal("access", Payload(token).GetProperty("token_use").GetString());
        Assert.False(Verifies(token, _pool.GetJwksJson()));
        Assert.Equal(jwksBefore, _pool.GetJwksJson());
        Assert.Equal([_pool.CurrentKeyId], _pool.PublishedKeyIds);

        // A real RSA-2048 signature, not filler: only the key behind it is wrong.
        Assert.Equal(256, Segment(token, 2).Length);
    }

    [Fact]
    public void RawSigningUsesTheBytesVerbatim()
    {
        byte[] header = Encoding.UTF8.GetBytes($$"""{"kid":"{{_pool.CurrentKeyId}}","alg":"RS256","alg":"none"}""");
        byte[] payload = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("""{"sub":"a","sub":"b"}""")];
        string token = _pool.SignRaw(header, payload);

        Assert.Equal(header, Segment(token, 0));
        Assert.Equal(payload, Segment(token, 1));
        Assert.True(Verifies(token, _pool.GetJwksJson(), kid: _pool.CurrentKeyId));

        string garbage = _pool.SignRaw("not json", "\uFEFF{}");
        Assert.Equal("not json"u8.ToArray(), Segment(garbage, 0));
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}' }, Segment(garbage, 1));
        Assert.True(Verifies(garbage, _pool.GetJwksJson(), kid: _pool.CurrentKeyId));
    }

    [Fact]
    public void RawSigningCanPickAKey()
    {
        string oldKid = _pool.CurrentKeyId;
        _pool.RotateKey();
        string token = _pool.SignRaw("""{"alg":"RS256"}""", "{}", oldKid);
        Assert.True(Verifies(token, _pool.GetJwksJson(), kid: oldKid));
        Assert.False(Verifies(token, _pool.GetJwksJson(), kid: _pool.CurrentKeyId));
    }

    [Fact]
    public void Base64urlHasNoPaddingAndUrlSafeCharacters()
    {
        Assert.Equal("", LocalUserPool.Base64UrlEncode([]));
        Assert.Equal("-_8", LocalUserPool.Base64UrlEncode([0xFB, 0xFF]));
        Assert.Equal("AQAB", LocalUserPool.Base64UrlEncode([1, 0, 1]));
        Assert.Equal("YQ", LocalUserPool.Base64UrlEncode("a"u8));
    }

    [Fact]
    public void MintingFromManyThreadsWhileRotatingGivesValidTokens()
    {
        var tokens = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if (i % 50 == 0)
            {
                _pool.RotateKey();
            }

            LocalTokenSet set = _pool.SignIn(new LocalTokenOptions { Username = "user" + i.ToString(CultureInfo.InvariantCulture) });
            tokens.Add(set.AccessToken);
            tokens.Add(set.IdToken);
        });

        string jwks = _pool.GetJwksJson();
        Assert.Equal(400, tokens.Count);
        Assert.All(tokens, token => Assert.True(Verifies(token, jwks)));
        Assert.Equal(400, tokens.Select(t => Payload(t).GetProperty("jti").GetString()).Distinct().Count());
        Assert.Equal(5, _pool.PublishedKeyIds.Count);
    }

    [Fact]
    public async Task DisposedPoolRefusesToWork()
    {
        var pool = new LocalUserPool();
        HttpMessageHandler handler = pool.CreateJwksHandler();
        pool.Dispose();
        pool.Dispose();

        Assert.Throws<ObjectDisposedException>(() => pool.MintAccessToken());
        Assert.Throws<ObjectDisposedException>(() => pool.GetJwksJson());
        Assert.Throws<ObjectDisposedException>(() => pool.RotateKey());
        Assert.Throws<ObjectDisposedException>(() => pool.CurrentKeyId);
        using var client = new HttpClient(handler);
        await Assert.ThrowsAnyAsync<ObjectDisposedException>(() => client.GetStringAsync(pool.JwksUri));
    }

    // Verification is done here from first principles (JsonDocument + RSA) so these tests do not
    // depend on the verifier they exist to test.
    private static bool Verifies(string token, string jwksJson, string? kid = null)
    {
        string[] parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        kid ??= Header(token).GetProperty("kid").GetString();

        using JsonDocument jwks = JsonDocument.Parse(jwksJson);
        JsonElement? jwk = jwks.RootElement.GetProperty("keys").EnumerateArray()
            .Select(k => (JsonElement?)k)
            .FirstOrDefault(k => k!.Value.GetProperty("kid").GetString() == kid);
        if (jwk is not JsonElement key)
        {
            return false;
        }

        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters
        {
            Modulus = Base64Url.DecodeFromChars(key.GetProperty("n").GetString()),
            Exponent = Base64Url.DecodeFromChars(key.GetProperty("e").GetString()),
        });
        byte[] signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        return rsa.VerifyData(signingInput, Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    private static byte[] Segment(string token, int index) => Base64Url.DecodeFromChars(token.Split('.')[index]);

    private static JsonElement Header(string token) => JsonDocument.Parse(Segment(token, 0)).RootElement;

    private static JsonElement Payload(string token) => JsonDocument.Parse(Segment(token, 1)).RootElement;

    private static List<string> ClaimNames(JsonElement payload) => payload.EnumerateObject().Select(p => p.Name).ToList();

    private static List<string> JwksKids(string jwksJson) =>
        JsonDocument.Parse(jwksJson).RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).ToList();

    private static int BitCount(int value) => System.Numerics.BitOperations.PopCount((uint)value);

    private static void AssertUuid(string? value)
    {
        Assert.NotNull(value);
        Assert.Matches(new Regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"), value);
    }
}
