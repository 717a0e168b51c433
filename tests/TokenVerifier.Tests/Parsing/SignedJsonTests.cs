using System.Globalization;
using System.Security.Claims;
using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Parsing;

/// <summary>
/// The claims an app reads are exactly the JSON that was signed. Every token here is signed by the trusted pool and
/// passes every other check, so each answer is the JSON rule alone.
/// </summary>
public sealed class SignedJsonTests : IDisposable
{
    private readonly TestPool _t = new();

    public void Dispose() => _t.Dispose();

    [Theory]
    [InlineData("address", "{\"city\":\"Lyon\",\"city\":\"Paris\"}")]
    [InlineData("address", "{\"city\":\"Lyon\",\"c\\u0069ty\":\"Paris\"}")]
    [InlineData("custom:list", "[1,{\"a\":1,\"b\":{\"x\":true,\"x\":false}}]")]
    [InlineData("cognito:groups", "[\"admins\",{\"a\":1,\"a\":2}]")]
    [InlineData("username", "{\"a\":1,\"a\":2}")]
    [InlineData("exp", "{\"a\":1,\"a\":2}")]
    public async Task A_duplicate_member_name_in_a_nested_payload_object_is_malformed(string claim, string json) =>
        Assert.Equal(TokenFailure.Malformed, await FailureOfPayloadAsync((claim, json)));

    [Theory]
    [InlineData("\"jwk\":{\"kty\":\"RSA\",\"kty\":\"oct\"}")]
    [InlineData("\"x\":[{\"y\":1,\"\\u0079\":2}]")]
    public async Task A_duplicate_member_name_in_a_nested_header_object_is_malformed(string extra)
    {
        var header = $"{{\"kid\":\"{_t.Pool.CurrentKeyId}\",\"alg\":\"RS256\",{extra}}}";
        Assert.Equal(TokenFailure.Malformed, await _t.FailureOfAsync(RawTokens.Signed(_t, header, RawTokens.AccessPayload(_t))));
    }

    [Theory]
    [InlineData("Username", "\"root\"")]
    [InlineData("USERNAME", "\"root\"")]
    [InlineData("COGNITO:GROUPS", "[\"root\"]")]
    [InlineData("Token_Use", "\"access\"")]
    [InlineData("Iss", "\"https://attacker.example\"")]
    public async Task Top_level_names_that_differ_only_in_case_are_malformed(string name, string json)
    {
        // ClaimsIdentity looks claim types up ignoring case: "Username":"root" before "username" would be the user's name.
        var payload = "{" + $"\"{name}\":{json}," + RawTokens.AccessPayload(_t)[1..];
        Assert.Equal(TokenFailure.Malformed, await _t.FailureOfAsync(RawTokens.Signed(_t, RawTokens.Header(_t), payload)));
    }

    [Fact]
    public async Task Names_that_differ_only_in_case_inside_a_nested_object_are_kept()
    {
        var result = await ValidatePayloadAsync(("address", "{\"City\":\"Lyon\",\"city\":\"Lyon\"}"));
        Assert.True(result.IsValid, result.FailureMessage);
        Assert.Equal("{\"City\":\"Lyon\",\"city\":\"Lyon\"}", result.Identity!.FindFirst("address")!.Value);
    }

    [Theory]
    [InlineData("custom:x", "{\"a\":\"\\ud800\"}")]
    [InlineData("custom:x", "{\"a\":[\"ok\",\"\\udc00x\"]}")]
    [InlineData("custom:x", "{\"\\ud800\":1}")]
    [InlineData("custom:x", "[\"\\ud83d\"]")]
    [InlineData("custom:x", "\"\\ude00\\ud83d\"")]
    [InlineData("\\ud800name", "1")]
    [InlineData("username", "\"al\\ud800ice\"")]
    [InlineData("cognito:groups", "[\"\\udfff\"]")]
    [InlineData("scope", "\"a \\ud800\"")]
    public async Task A_lone_surrogate_anywhere_in_the_payload_is_malformed(string claim, string json) =>
        Assert.Equal(TokenFailure.Malformed, await FailureOfPayloadAsync((claim, json)));

    [Theory]
    [InlineData("\"x\":\"\\ud800\"")]
    [InlineData("\"x\":{\"\\udc00\":1}")]
    [InlineData("\"typ\":[\"JWT\",\"\\ud800\"]")]
    public async Task A_lone_surrogate_anywhere_in_the_header_is_malformed(string extra)
    {
        var header = $"{{\"kid\":\"{_t.Pool.CurrentKeyId}\",\"alg\":\"RS256\",{extra}}}";
        Assert.Equal(TokenFailure.Malformed, await _t.FailureOfAsync(RawTokens.Signed(_t, header, RawTokens.AccessPayload(_t))));
    }

    [Fact]
    public async Task A_surrogate_pair_is_text_and_is_kept()
    {
        var result = await ValidatePayloadAsync(("custom:emoji", "{\"\\ud83d\\ude00\":\"\\ud83d\\ude00\"}"), ("nickname", "\"\\ud83d\\ude00\""));
        Assert.True(result.IsValid, result.FailureMessage);
        Assert.Equal("\U0001F600", result.Identity!.FindFirst("nickname")!.Value);
    }

    [Theory]
    [InlineData("1e400", ClaimValueTypes.Double)]
    [InlineData("-1E+400", ClaimValueTypes.Double)]
    [InlineData("12345678901234567890123", ClaimValueTypes.Integer)]
    [InlineData("1.0", ClaimValueTypes.Double)]
    [InlineData("0.1000", ClaimValueTypes.Double)]
    [InlineData("9223372036854775807", ClaimValueTypes.Integer64)]
    [InlineData("-42", ClaimValueTypes.Integer64)]
    public async Task A_number_claim_keeps_its_literal_text(string literal, string valueType)
    {
        var result = await ValidatePayloadAsync(("custom:n", literal), ("custom:list", $"[{literal},2]"));
        Assert.True(result.IsValid, result.FailureMessage);
        var claim = result.Identity!.FindFirst("custom:n")!;
        Assert.Equal(literal, claim.Value);
        Assert.Equal(valueType, claim.ValueType);
        Assert.Equal([literal, "2"], result.Identity.FindAll("custom:list").Select(c => c.Value));
    }

    [Fact]
    public async Task A_NumericDate_written_with_a_fraction_is_a_date_and_its_claim_keeps_the_text()
    {
        var exp = (_t.Time.GetUtcNow().ToUnixTimeSeconds() + 3600).ToString(CultureInfo.InvariantCulture) + ".0";
        var result = await ValidatePayloadAsync(("exp", exp));
        Assert.True(result.IsValid, result.FailureMessage);
        Assert.Equal(exp, result.Identity!.FindFirst("exp")!.Value);
        Assert.Equal(_t.Time.GetUtcNow().AddHours(1), result.Token!.ExpiresAt);
    }

    [Theory]
    [InlineData("253402300799", TokenFailure.None)]
    [InlineData("253402300799.0", TokenFailure.None)]
    [InlineData("253402300800", TokenFailure.InvalidClaim)]
    [InlineData("99999999999999999999", TokenFailure.InvalidClaim)]
    [InlineData("9223372036854775808", TokenFailure.InvalidClaim)]
    [InlineData("-1", TokenFailure.InvalidClaim)]
    [InlineData("-0", TokenFailure.Expired)]
    [InlineData("0", TokenFailure.Expired)]
    public async Task An_integer_NumericDate_is_judged_as_its_decimal_text(string exp, TokenFailure expected) =>
        Assert.Equal(expected, await FailureOfPayloadAsync(("exp", exp)));

    [Fact]
    public async Task An_integer_NumericDate_reads_the_same_date_as_its_exponent_form()
    {
        var seconds = _t.Time.GetUtcNow().ToUnixTimeSeconds() + 3600;
        var integer = await ValidatePayloadAsync(("exp", seconds.ToString(CultureInfo.InvariantCulture)));
        var exponent = await ValidatePayloadAsync(("exp", seconds.ToString(CultureInfo.InvariantCulture) + "e0"));
        Assert.True(integer.IsValid, integer.FailureMessage);
        Assert.True(exponent.IsValid, exponent.FailureMessage);
        Assert.Equal(_t.Time.GetUtcNow().AddHours(1), integer.Token!.ExpiresAt);
        Assert.Equal(integer.Token.ExpiresAt, exponent.Token!.ExpiresAt);
    }

    [Fact]
    public async Task A_NumericDate_beyond_a_double_is_an_invalid_claim_not_infinity() =>
        Assert.Equal(TokenFailure.InvalidClaim, await FailureOfPayloadAsync(("iat", "1e400")));

    [Theory]
    [InlineData(" ", "")]
    [InlineData("", " ")]
    [InlineData("\n", "")]
    [InlineData("", "\n")]
    [InlineData("", "\r\n")]
    [InlineData("\t", "\t")]
    public async Task Whitespace_around_the_payload_object_is_malformed(string before, string after)
    {
        var payload = before + RawTokens.AccessPayload(_t) + after;
        Assert.Equal(TokenFailure.Malformed, await _t.FailureOfAsync(RawTokens.Signed(_t, RawTokens.Header(_t), payload)));
    }

    [Theory]
    [InlineData(" ", "")]
    [InlineData("", " ")]
    [InlineData("", "\n")]
    [InlineData("\r\n", "\r\n")]
    public async Task Whitespace_around_the_header_object_is_malformed(string before, string after)
    {
        var header = before + RawTokens.Header(_t) + after;
        Assert.Equal(TokenFailure.Malformed, await _t.FailureOfAsync(RawTokens.Signed(_t, header, RawTokens.AccessPayload(_t))));
    }

    [Fact]
    public async Task Whitespace_between_the_members_is_JSON_and_is_accepted()
    {
        var payload = RawTokens.AccessPayload(_t).Replace(",\"", ",\n  \"", StringComparison.Ordinal).Replace("\":", "\" : ", StringComparison.Ordinal);
        var header = $"{{ \"kid\" : \"{_t.Pool.CurrentKeyId}\",\r\n \"alg\" : \"RS256\" }}";
        var result = await _t.ValidateAsync(RawTokens.Signed(_t, header, payload));
        Assert.True(result.IsValid, result.FailureMessage);
    }

    [Fact]
    public async Task The_groups_and_scopes_of_a_cached_token_cannot_be_changed()
    {
        var payload = RawTokens.AccessPayload(_t, ("cognito:groups", "[\"readers\"]"), ("scope", "\"orders/read\""));
        var token = RawTokens.Signed(_t, RawTokens.Header(_t), payload);
        var first = await _t.ValidateAsync(token);
        Assert.True(first.IsValid, first.FailureMessage);

        // The lists are shared by every request that presents this token; casting them must not open a way to write.
        var cached = first.Token!;
        Assert.Throws<NotSupportedException>(() => ((IList<string>)cached.Groups)[0] = "admins");
        Assert.Throws<NotSupportedException>(() => ((IList<string>)cached.Scopes)[0] = "orders/write");
        Assert.Throws<NotSupportedException>(() => ((ICollection<string>)cached.Groups).Add("admins"));
        Assert.IsNotType<string[]>(cached.Scopes);
        Assert.IsNotType<List<string>>(cached.Groups);

        var second = await _t.ValidateAsync(token);
        Assert.Same(cached, second.Token);
        Assert.Equal(["readers"], second.Token!.Groups);
        Assert.Equal(["orders/read"], second.Token.Scopes);
    }

    [Fact]
    public async Task A_token_without_groups_has_an_empty_read_only_list()
    {
        var result = await ValidatePayloadAsync(("cognito:groups", null));
        Assert.True(result.IsValid, result.FailureMessage);
        var groups = result.Token!.Groups;
        Assert.Empty(groups);
        Assert.Throws<NotSupportedException>(() => ((ICollection<string>)groups).Add("admins"));
    }

    // The issuer scan records where at most 64 members lie; a claims set with more is read by the reader, by the same rules.
    [Theory]
    [InlineData(40, false)]
    [InlineData(80, false)]
    [InlineData(40, true)]
    [InlineData(80, true)]
    public async Task Claims_sets_on_either_side_of_the_scans_record_read_alike(int customClaims, bool duplicateUsername)
    {
        var overrides = Enumerable.Range(0, customClaims).Select(i => ($"custom:c{i}", (string?)$"\"{i}\"")).ToList();
        if (duplicateUsername)
        {
            overrides.Add(("USERNAME", "\"root\""));
        }

        var result = await ValidatePayloadAsync([.. overrides]);

        if (duplicateUsername)
        {
            Assert.Equal(TokenFailure.Malformed, result.Failure);
            return;
        }

        Assert.True(result.IsValid, result.FailureMessage);
        Assert.Equal("alice", result.Identity!.Name);
        Assert.Equal($"{customClaims - 1}", result.Identity.FindFirst($"custom:c{customClaims - 1}")!.Value);
    }

    private async Task<TokenFailure> FailureOfPayloadAsync(params (string Name, string? Json)[] overrides) =>
        (await ValidatePayloadAsync(overrides)).Failure;

    private async Task<UserPoolValidationResult> ValidatePayloadAsync(params (string Name, string? Json)[] overrides) =>
        await _t.ValidateAsync(RawTokens.Signed(_t, RawTokens.Header(_t), RawTokens.AccessPayload(_t, overrides)));
}
