using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Sample;

public sealed class SampleApiTests(SampleFactory factory) : IClassFixture<SampleFactory>
{
    private static string Challenge(HttpResponseMessage response) => string.Join(" | ", response.Headers.WwwAuthenticate.Select(h => h.ToString()));

    [Fact]
    public async Task No_token_is_401_with_a_bare_Bearer_challenge()
    {
        var response = await factory.CreateClient().GetAsync(new Uri("/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Challenge(response));
    }

    [Fact]
    public async Task A_non_bearer_authorization_header_is_treated_as_no_token()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", "YWxpY2U6c2VjcmV0");
        var response = await client.GetAsync(new Uri("/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Challenge(response));
    }

    [Fact]
    public async Task A_valid_token_is_200_and_the_claims_are_mapped()
    {
        var response = await factory.ClientFor("carol", groups: ["admins", "editors"], scopes: ["orders/read", "orders/write"]).GetAsync(new Uri("/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("carol", body.RootElement.GetProperty("name").GetString());
        Assert.Equal("access", body.RootElement.GetProperty("tokenUse").GetString());
        Assert.Equal(["admins", "editors"], body.RootElement.GetProperty("groups").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["orders/read", "orders/write"], body.RootElement.GetProperty("scopes").EnumerateArray().Select(e => e.GetString()));
    }

    public static TheoryData<string, string> RejectedTokens() => new()
    {
        { "expired", "Bearer error=\"invalid_token\", error_description=\"The token expired at {exp}.\"" },
        { "id-token", "Bearer error=\"invalid_token\", error_description=\"The token is an ID token, but only access tokens are accepted.\"" },
        { "other-client", "Bearer error=\"invalid_token\", error_description=\"The token was issued to an app client that is not allowed.\"" },
        { "bad-signature", "Bearer error=\"invalid_token\", error_description=\"The token's signature is invalid.\"" },
        { "unknown-key", "Bearer error=\"invalid_token\", error_description=\"The token's signing key (kid) is not in the user pool's key set.\"" },
        { "other-issuer", "Bearer error=\"invalid_token\", error_description=\"The token's issuer is not a configured user pool.\"" },
        { "alg-none", "Bearer error=\"invalid_token\", error_description=\"The token's algorithm is not allowed; only RS256 is accepted.\"" },
        { "garbage", "Bearer error=\"invalid_token\", error_description=\"The token does not have exactly three segments.\"" },
    };

    [Theory]
    [MemberData(nameof(RejectedTokens))]
    public async Task Each_rejection_is_401_with_an_exact_RFC_6750_challenge(string kind, string expected)
    {
        var pool = factory.Pool;
        using var otherPool = new LocalUserPool("eu-west-1_Elsewhere1");
        string token = kind switch
        {
            "expired" => pool.MintExpiredAccessToken(TimeSpan.FromSeconds(1)),
            "id-token" => pool.MintIdToken(),
            "other-client" => pool.MintAccessToken(new LocalTokenOptions { ClientId = "someotherclient00000000000" }),
            "bad-signature" => LocalUserPool.TamperSignature(pool.MintAccessToken()),
            "unknown-key" => pool.SignRaw($"{{\"kid\":\"not-a-published-kid\",\"alg\":\"RS256\"}}", Payload(pool)),
            "other-issuer" => otherPool.MintAccessToken(),
            "alg-none" => LocalUserPool.Base64UrlEncode("{\"alg\":\"none\"}"u8) + "." + LocalUserPool.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(Payload(pool))) + ".",
            _ => "not-a-jwt",
        };

        var response = await factory.ClientWith(token).GetAsync(new Uri("/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Challenge(response);
        if (kind == "expired")
        {
            Assert.Matches("^" + System.Text.RegularExpressions.Regex.Escape(expected).Replace("\\{exp}", @"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", StringComparison.Ordinal) + "$", challenge);
        }
        else
        {
            Assert.Equal(expected, challenge);
        }

        Assert.DoesNotContain(token.Split('.')[0], challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_group_is_403_without_a_scope_error()
    {
        var response = await factory.ClientFor(groups: ["editors"]).GetAsync(new Uri("/admin/stats", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientFor(groups: ["admins"]).GetAsync(new Uri("/admin/stats", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_configuration_declared_scope_policy_guards_a_minimal_endpoint()
    {
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientFor(scopes: ["orders/read"]).GetAsync(new Uri("/orders", UriKind.Relative))).StatusCode);
        var response = await factory.ClientFor(scopes: ["orders/write"]).GetAsync(new Uri("/orders", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"orders/read\"", Challenge(response));
    }

    [Fact]
    public async Task A_code_declared_scope_requirement_guards_a_minimal_endpoint()
    {
        Assert.Equal(HttpStatusCode.Created, (await factory.ClientFor(scopes: ["orders/write"]).PostAsync(new Uri("/orders", UriKind.Relative), null)).StatusCode);
        var response = await factory.ClientFor(scopes: ["orders/read"]).PostAsync(new Uri("/orders", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"orders/write\"", Challenge(response));
    }

    [Fact]
    public async Task A_configuration_declared_group_policy_guards_a_controller()
    {
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientFor(groups: ["admins"]).GetAsync(new Uri("/reports", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.ClientFor(groups: ["editors"]).GetAsync(new Uri("/reports", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync(new Uri("/reports", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Scope_and_group_attributes_on_actions_add_to_the_class_policy()
    {
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientFor(groups: ["admins"], scopes: ["reports/export"]).PostAsync(new Uri("/reports/export", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.ClientFor(groups: ["admins"]).PostAsync(new Uri("/reports/export", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.ClientFor(groups: ["editors"], scopes: ["reports/export"]).PostAsync(new Uri("/reports/export", UriKind.Relative), null)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await factory.ClientFor(groups: ["admins", "auditors"]).GetAsync(new Uri("/reports/audit", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.ClientFor(groups: ["admins"]).GetAsync(new Uri("/reports/audit", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task The_dev_token_endpoint_mints_tokens_the_api_accepts()
    {
        var client = factory.CreateClient();
        var minted = await client.PostAsJsonAsync(new Uri("/dev/token", UriKind.Relative), new { username = "dave", groups = new[] { "admins" }, scopes = new[] { "orders/read" } });
        Assert.Equal(HttpStatusCode.OK, minted.StatusCode);
        using var body = JsonDocument.Parse(await minted.Content.ReadAsStringAsync());
        var token = body.RootElement.GetProperty("token").GetString()!;

        var response = await factory.ClientWith(token).GetAsync(new Uri("/admin/stats", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"tokenUse\":\"refresh\"}")]
    [InlineData("{\"lifetimeSeconds\":0}")]
    [InlineData("{\"lifetimeSeconds\":86401}")]
    public async Task The_dev_token_endpoint_refuses_bad_requests(string json)
    {
        var response = await factory.CreateClient().PostAsync(new Uri("/dev/token", UriKind.Relative), new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static string Payload(LocalUserPool pool)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return $"{{\"sub\":\"s\",\"iss\":\"{pool.Issuer}\",\"client_id\":\"{pool.DefaultClientId}\",\"token_use\":\"access\",\"scope\":\"a\",\"exp\":{now + 600},\"iat\":{now},\"username\":\"u\"}}";
    }
}
