using System.Security.Claims;
using System.Text.Json.Nodes;
using TokenVerifier.Claims;
using TokenVerifier.Testing;
using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Claims;

/// <summary>
/// Access tokens customised by a pre-token-generation trigger (v2/v3): every JSON type a trigger can add, and how each
/// becomes claims (the mapping the README documents).
/// </summary>
public sealed class TriggerClaimsMappingTests : IDisposable
{
    private readonly TestPool _t = new(o => o.TokenUse = ["access", "id"]);

    public void Dispose() => _t.Dispose();

    private async Task<ClaimsIdentity> IdentityOf(params (string Name, string? Json)[] claims)
    {
        var result = await _t.ValidateAsync(RawTokens.Signed(_t, RawTokens.Header(_t), RawTokens.AccessPayload(_t, claims)));
        Assert.True(result.IsValid, result.FailureMessage);
        return result.Identity!;
    }

    private static (string Value, string ValueType)[] All(ClaimsIdentity identity, string type) =>
        [.. identity.FindAll(c => c.Type == type).Select(c => (c.Value, c.ValueType))];

    [Fact]
    public async Task A_string_is_one_string_claim()
    {
        var identity = await IdentityOf(("custom:tenant", "\"acme\""));
        Assert.Equal([("acme", ClaimValueTypes.String)], All(identity, "custom:tenant"));
    }

    [Theory]
    [InlineData("42", "42", ClaimValueTypes.Integer64)]
    [InlineData("-7", "-7", ClaimValueTypes.Integer64)]
    [InlineData("1.50", "1.50", ClaimValueTypes.Double)]
    [InlineData("1e3", "1e3", ClaimValueTypes.Double)]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567890", ClaimValueTypes.Integer)]
    public async Task A_number_keeps_its_literal_text(string json, string value, string valueType)
    {
        var identity = await IdentityOf(("tier", json));
        Assert.Equal([(value, valueType)], All(identity, "tier"));
    }

    [Fact]
    public async Task Booleans_are_true_or_false_claims()
    {
        var identity = await IdentityOf(("beta", "true"), ("suspended", "false"));
        Assert.Equal([("true", ClaimValueTypes.Boolean)], All(identity, "beta"));
        Assert.Equal([("false", ClaimValueTypes.Boolean)], All(identity, "suspended"));
    }

    [Fact]
    public async Task Null_gives_no_claim()
    {
        var identity = await IdentityOf(("nickname", "null"));
        Assert.Empty(All(identity, "nickname"));
    }

    [Fact]
    public async Task An_array_gives_one_claim_per_element_each_mapped_as_a_value()
    {
        var identity = await IdentityOf(("entitlements", """["read",7,2.5,true,null,{"k":"v"},["x",1]]"""));
        Assert.Equal(
            [
                ("read", ClaimValueTypes.String),
                ("7", ClaimValueTypes.Integer64),
                ("2.5", ClaimValueTypes.Double),
                ("true", ClaimValueTypes.Boolean),
                ("{\"k\":\"v\"}", UserPoolClaimValueTypes.Json),
                ("[\"x\",1]", UserPoolClaimValueTypes.JsonArray),
            ],
            All(identity, "entitlements"));
    }

    [Fact]
    public async Task An_empty_array_gives_no_claim()
    {
        var identity = await IdentityOf(("entitlements", "[]"));
        Assert.Empty(All(identity, "entitlements"));
    }

    [Fact]
    public async Task An_object_is_one_json_claim_holding_its_signed_text()
    {
        var identity = await IdentityOf(("tenant", """{ "id": "t-1", "limits": { "seats": 5, "tags": ["a", "b"] }, "trial": false }"""), ("empty", "{}"));
        Assert.Equal(
            [("""{ "id": "t-1", "limits": { "seats": 5, "tags": ["a", "b"] }, "trial": false }""", UserPoolClaimValueTypes.Json)],
            All(identity, "tenant"));
        Assert.Equal([("{}", UserPoolClaimValueTypes.Json)], All(identity, "empty"));
        Assert.Equal("JSON", UserPoolClaimValueTypes.Json);
        Assert.Equal("JSON_ARRAY", UserPoolClaimValueTypes.JsonArray);
    }

    [Fact]
    public async Task Cognito_roles_and_preferred_role_are_claims_under_their_names()
    {
        var identity = await IdentityOf(
            ("cognito:roles", """["arn:aws:iam::123456789012:role/Admins","arn:aws:iam::123456789012:role/Readers"]"""),
            ("cognito:preferred_role", "\"arn:aws:iam::123456789012:role/Admins\""));
        Assert.Equal(["arn:aws:iam::123456789012:role/Admins", "arn:aws:iam::123456789012:role/Readers"], All(identity, "cognito:roles").Select(c => c.Value));
        Assert.Equal("arn:aws:iam::123456789012:role/Admins", identity.FindFirst("cognito:preferred_role")!.Value);
    }

    [Fact]
    public async Task Overridden_groups_are_the_roles()
    {
        var identity = await IdentityOf(("cognito:groups", """["auditors"]"""));
        var principal = new ClaimsPrincipal(identity);
        Assert.True(principal.IsInRole("auditors"));
        Assert.False(principal.IsInRole("admins"));
    }

    [Fact]
    public async Task Suppressed_groups_leave_no_roles()
    {
        var result = await _t.ValidateAsync(RawTokens.Signed(_t, RawTokens.Header(_t), RawTokens.AccessPayload(_t, ("cognito:groups", null))));
        Assert.True(result.IsValid, result.FailureMessage);
        Assert.Empty(result.Token!.Groups);
        Assert.Empty(result.Identity!.FindAll(UserPoolClaimTypes.Groups));
        Assert.False(new ClaimsPrincipal(result.Identity).IsInRole("admins"));
    }

    [Fact]
    public async Task Groups_overridden_with_a_non_string_are_InvalidClaim()
    {
        var token = RawTokens.Signed(_t, RawTokens.Header(_t), RawTokens.AccessPayload(_t, ("cognito:groups", """["admins",{"x":1}]""")));
        Assert.Equal(TokenFailure.InvalidClaim, await _t.FailureOfAsync(token));
    }

    [Fact]
    public async Task Added_and_removed_scopes_are_the_scopes_of_the_token()
    {
        var identity = await IdentityOf(("scope", "\"orders/read openid reports/export\""));
        Assert.Equal(["orders/read", "openid", "reports/export"], All(identity, UserPoolClaimTypes.Scope).Select(c => c.Value));
    }

    [Fact]
    public async Task A_claim_differing_only_in_case_from_another_is_Malformed()
    {
        // A trigger adding "Email" to an ID token that already has "email".
        var options = new LocalTokenOptions();
        options.AdditionalClaims["Email"] = "other@example.test";
        Assert.Equal(TokenFailure.Malformed, await _t.FailureOfAsync(_t.Pool.MintIdToken(options)));

        var access = new LocalTokenOptions();
        access.AdditionalClaims["Username"] = "mallory";
        Assert.Equal(TokenFailure.Malformed, await _t.FailureOfAsync(_t.Pool.MintAccessToken(access)));
    }

    [Fact]
    public async Task The_local_pool_mints_every_shape_a_trigger_can_add()
    {
        var options = new LocalTokenOptions();
        options.Groups.Add("admins");
        options.Scopes.Add("orders/read");
        options.AdditionalClaims["custom:plan"] = "gold";
        options.AdditionalClaims["seats"] = 5;
        options.AdditionalClaims["ratio"] = 0.25;
        options.AdditionalClaims["beta"] = true;
        options.AdditionalClaims["nickname"] = null;
        options.AdditionalClaims["mixed"] = new object?[] { "a", 1, false, null, new Dictionary<string, object?> { ["k"] = "v" } };
        options.AdditionalClaims["tenant"] = new Dictionary<string, object?> { ["id"] = "t-1", ["limits"] = new Dictionary<string, object?> { ["seats"] = 5 } };
        options.AdditionalClaims["node"] = JsonNode.Parse("""{"a":[1,2]}""");
        options.AdditionalClaims["cognito:groups"] = new[] { "auditors" };

        var result = await _t.ValidateAsync(_t.Pool.MintAccessToken(options));
        Assert.True(result.IsValid, result.FailureMessage);
        var identity = result.Identity!;

        Assert.Equal([("gold", ClaimValueTypes.String)], All(identity, "custom:plan"));
        Assert.Equal([("5", ClaimValueTypes.Integer64)], All(identity, "seats"));
        Assert.Equal([("0.25", ClaimValueTypes.Double)], All(identity, "ratio"));
        Assert.Equal([("true", ClaimValueTypes.Boolean)], All(identity, "beta"));
        Assert.Empty(All(identity, "nickname"));
        Assert.Equal(
            [("a", ClaimValueTypes.String), ("1", ClaimValueTypes.Integer64), ("false", ClaimValueTypes.Boolean), ("{\"k\":\"v\"}", UserPoolClaimValueTypes.Json)],
            All(identity, "mixed"));
        Assert.Equal([("{\"id\":\"t-1\",\"limits\":{\"seats\":5}}", UserPoolClaimValueTypes.Json)], All(identity, "tenant"));
        Assert.Equal([("{\"a\":[1,2]}", UserPoolClaimValueTypes.Json)], All(identity, "node"));
        Assert.Equal(["auditors"], result.Token!.Groups);
    }

    [Fact]
    public async Task The_local_pool_suppresses_groups_a_trigger_suppresses()
    {
        var options = new LocalTokenOptions();
        options.Groups.Add("admins");
        options.OmitClaims.Add("cognito:groups");
        var result = await _t.ValidateAsync(_t.Pool.MintAccessToken(options));
        Assert.True(result.IsValid, result.FailureMessage);
        Assert.Empty(result.Token!.Groups);
    }
}
