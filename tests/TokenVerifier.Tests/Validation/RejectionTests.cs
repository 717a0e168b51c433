using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Validation;

/// <summary>One token per rejection reason, each built to hit exactly that reason; every other check would pass.</summary>
public sealed class RejectionTests : IDisposable
{
    private readonly TestPool _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public async Task A_valid_access_token_is_accepted()
    {
        var result = await _t.ValidateAsync(_t.Pool.MintAccessToken());
        Assert.True(result.IsValid, result.FailureMessage);
        Assert.Equal(TokenFailure.None, result.Failure);
    }

    [Fact]
    public async Task The_hand_built_baseline_is_accepted_so_each_variation_tests_one_thing()
    {
        var result = await _t.ValidateAsync(RawTokens.Signed(_t, RawTokens.Header(_t), RawTokens.AccessPayload(_t)));
        Assert.True(result.IsValid, result.FailureMessage);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("abc.def")]
    [InlineData("a.b.c.d")]
    [InlineData(".e30.c2ln")]
    [InlineData("e30..c2ln")]
    public async Task Structurally_broken_tokens_are_malformed(string token) =>
        Assert.Equal(TokenFailure.Malformed, await _t.FailureOfAsync(token));

    [Fact]
    public async Task A_five_segment_JWE_is_malformed_and_says_so()
    {
        var result = await _t.ValidateAsync("eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn");
        Assert.Equal(TokenFailure.Malformed, result.Failure);
        Assert.Contains("JWE", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('+')]
    [InlineData('/')]
    [InlineData('=')]
    [InlineData(' ')]
    [InlineData('é')]
    public async Task Non_base64url_characters_are_malformed(char bad)
    {
        var token = _t.Pool.MintAccessToken();
        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var broken = token[..(firstDot - 1)] + bad + token[firstDot..];
        Assert.Equal(TokenFailure.Malformed, await _t.FailureOfAsync(broken));
    }

    [Fact]
    public async Task A_non_canonical_base64url_segment_is_malformed()
    {
        // The last character of a 342-character signature carries 4 unused bits; setting one decodes to the same
        // bytes, so a lenient decoder would accept two spellings of one token.
        var token = _t.Pool.MintAccessToken();
        var parts = token.Split('.');
        var last = parts[2][^1];
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        if (parts[2].Length % 4 == 0)
        {
            // A 2048-bit signature is 342 characters (342 % 4 == 2); keep the test honest if that ever changes.
            Assert.Fail("signature length unexpectedly a multiple of 4");
        }

        var tweaked = alphabet[alphabet.IndexOf(last, StringComparison.Ordinal) + 1];
        var broken = parts[0] + "." + parts[1] + "." + parts[2][..^1] + tweaked;
        Assert.Equal(TokenFailure.Malformed, await _t.FailureOfAsync(broken));
    }

    [Fact]
    public async Task An_oversized_token_is_too_large()
    {
        var payload = RawTokens.AccessPayload(_t, ("padding", "\"" + new string('x', 17 * 1024) + "\""));
        var result = await _t.ValidateAsync(RawTokens.Signed(_t, RawTokens.Header(_t), payload));
        Assert.Equal(TokenFailure.TooLarge, result.Failure);
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("\"text\"")]
    [InlineData("{\"kid\":\"k\",\"alg\":\"RS256\"} trailing")]
    [InlineData("{\"alg\":\"RS256\",\"alg\":\"none\",\"kid\":\"k\"}")]
    [InlineData("\uFEFF{\"alg\":\"RS256\",\"kid\":\"k\"}")]
    public async Task A_header_that_is_not_one_plain_JSON_object_is_malformed(string header) =>
        Assert.Equal(TokenFailure.Malformed, await _t.FailureOfAsync(RawTokens.Signed(_t, header, RawTokens.AccessPayload(_t))));

    [Fact]
    public async Task A_payload_with_a_duplicate_issuer_is_malformed()
    {
        var payload = RawTokens.AccessPayload(_t)[..^1] + ",\"iss\":\"https://evil.example\"}";
        Assert.Equal(TokenFailure.Malformed, await _t.FailureOfAsync(RawTokens.Signed(_t, RawTokens.Header(_t), payload)));
    }

    [Fact]
    public async Task A_tampered_payload_fails_the_signature()
    {
        var token = LocalUserPool.TamperPayload(_t.Pool.MintAccessToken(), "username", "\"mallory\"");
        Assert.Equal(TokenFailure.InvalidSignature, await _t.FailureOfAsync(token));
    }

    [Fact]
    public async Task A_tampered_signature_fails_the_signature()
    {
        var token = LocalUserPool.TamperSignature(_t.Pool.MintAccessToken());
        Assert.Equal(TokenFailure.InvalidSignature, await _t.FailureOfAsync(token));
    }

    [Fact]
    public async Task A_token_signed_by_a_key_outside_the_key_set_fails_the_signature()
    {
        var token = _t.Pool.SignWithUnpublishedKey();
        Assert.Equal(TokenFailure.InvalidSignature, await _t.FailureOfAsync(token));
    }

    [Fact]
    public async Task An_RS256_token_with_an_empty_signature_fails_the_signature()
    {
        var token = RawTokens.Unsigned(RawTokens.Header(_t), RawTokens.AccessPayload(_t));
        Assert.Equal(TokenFailure.InvalidSignature, await _t.FailureOfAsync(token));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    public async Task Unsigned_alg_none_tokens_are_rejected_for_their_algorithm(string alg)
    {
        var token = RawTokens.Unsigned(RawTokens.Header(_t, alg), RawTokens.AccessPayload(_t));
        var result = await _t.ValidateAsync(token);
        Assert.Equal(TokenFailure.UnsupportedAlgorithm, result.Failure);
        Assert.Equal(0, _t.Network.Count);
    }

    [Fact]
    public async Task HS256_signed_with_the_public_key_bytes_is_rejected_for_its_algorithm()
    {
        var token = RawTokens.HmacWithPublicKey(_t, RawTokens.AccessPayload(_t));
        Assert.Equal(TokenFailure.UnsupportedAlgorithm, await _t.FailureOfAsync(token));
    }

    [Theory]
    [InlineData("RS384")]
    [InlineData("RS512")]
    [InlineData("PS256")]
    [InlineData("ES256")]
    [InlineData("rs256")]
    public async Task Other_algorithms_are_rejected_even_with_a_real_signature(string alg) =>
        Assert.Equal(TokenFailure.UnsupportedAlgorithm, await _t.FailureOfAsync(RawTokens.Signed(_t, RawTokens.Header(_t, alg), RawTokens.AccessPayload(_t))));

    [Theory]
    [InlineData("{\"alg\":\"RS256\"}")]
    [InlineData("{\"alg\":\"RS256\",\"kid\":\"\"}")]
    [InlineData("{\"alg\":\"RS256\",\"kid\":42}")]
    [InlineData("{\"alg\":\"RS256\",\"kid\":null}")]
    public async Task A_header_without_a_usable_kid_is_rejected(string header) =>
        Assert.Equal(TokenFailure.MissingKeyId, await _t.FailureOfAsync(RawTokens.Signed(_t, header, RawTokens.AccessPayload(_t))));

    [Fact]
    public async Task A_crit_header_is_rejected()
    {
        var header = $"{{\"kid\":\"{_t.Pool.CurrentKeyId}\",\"alg\":\"RS256\",\"crit\":[\"exp\"],\"exp\":1}}";
        Assert.Equal(TokenFailure.UnsupportedHeader, await _t.FailureOfAsync(RawTokens.Signed(_t, header, RawTokens.AccessPayload(_t))));
    }

    [Theory]
    [InlineData("\"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other999\"")]
    [InlineData("\"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1/\"")]
    [InlineData("\"https://COGNITO-IDP.us-east-1.amazonaws.com/us-east-1_TestPool1\"")]
    [InlineData("\"http://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1\"")]
    [InlineData("42")]
    [InlineData(null)]
    public async Task A_wrong_or_missing_issuer_is_rejected_before_any_key_fetch(string? issuerJson)
    {
        var token = RawTokens.Signed(_t, $"{{\"kid\":\"never-seen\",\"alg\":\"RS256\"}}", RawTokens.AccessPayload(_t, ("iss", issuerJson)));
        Assert.Equal(TokenFailure.UnknownIssuer, await _t.FailureOfAsync(token));
        Assert.Equal(0, _t.Network.Count);
    }

    [Fact]
    public async Task An_unknown_kid_is_not_found_after_one_refresh()
    {
        var token = RawTokens.Signed(_t, "{\"kid\":\"unknown-kid\",\"alg\":\"RS256\"}", RawTokens.AccessPayload(_t));
        Assert.Equal(TokenFailure.KeyNotFound, await _t.FailureOfAsync(token));
        Assert.Equal(1, _t.Network.Count);
    }

    [Fact]
    public async Task Keys_that_cannot_be_fetched_make_the_keys_unavailable()
    {
        _t.Network.FailWith = System.Net.HttpStatusCode.InternalServerError;
        var result = await _t.ValidateAsync(_t.Pool.MintAccessToken());
        Assert.Equal(TokenFailure.KeysUnavailable, result.Failure);
    }

    [Theory]
    [InlineData("exp")]
    [InlineData("iat")]
    [InlineData("token_use")]
    [InlineData("client_id")]
    public async Task A_missing_required_claim_is_named(string claim)
    {
        var result = await _t.ValidateAsync(RawTokens.Signed(_t, RawTokens.Header(_t), RawTokens.AccessPayload(_t, (claim, null))));
        Assert.Equal(TokenFailure.MissingClaim, result.Failure);
        Assert.Contains($"'{claim}'", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("exp", "\"9999999999\"")]
    [InlineData("exp", "1e400")]
    [InlineData("exp", "-1")]
    [InlineData("iat", "true")]
    [InlineData("nbf", "\"0\"")]
    [InlineData("client_id", "[\"abc\"]")]
    [InlineData("token_use", "[\"access\"]")]
    [InlineData("cognito:groups", "[1,2]")]
    [InlineData("scope", "[\"a\"]")]
    [InlineData("username", "{}")]
    public async Task A_claim_of_the_wrong_type_or_range_is_invalid(string claim, string json)
    {
        var result = await _t.ValidateAsync(RawTokens.Signed(_t, RawTokens.Header(_t), RawTokens.AccessPayload(_t, (claim, json))));
        Assert.Equal(TokenFailure.InvalidClaim, result.Failure);
        Assert.Contains($"'{claim}'", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_expired_by_one_second_is_expired()
    {
        var token = _t.Pool.MintExpiredAccessToken(TimeSpan.FromSeconds(1));
        var result = await _t.ValidateAsync(token);
        Assert.Equal(TokenFailure.Expired, result.Failure);
        Assert.Matches(@"^The token expired at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\.$", result.FailureMessage);
    }

    [Fact]
    public async Task A_token_is_expired_at_exp_and_valid_one_second_before()
    {
        var token = _t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromMinutes(5) });
        _t.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Equal(TokenFailure.None, await _t.FailureOfAsync(token));
        _t.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TokenFailure.Expired, await _t.FailureOfAsync(token));
    }

    [Fact]
    public async Task Clock_skew_extends_expiry_by_exactly_the_skew()
    {
        using var t = new TestPool(o => o.ClockSkew = TimeSpan.FromSeconds(30));
        var token = t.Pool.MintExpiredAccessToken(TimeSpan.FromSeconds(29));
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(token));
        t.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TokenFailure.Expired, await t.FailureOfAsync(token));
    }

    [Fact]
    public async Task A_future_nbf_is_not_yet_valid()
    {
        var nbf = _t.Time.GetUtcNow().AddMinutes(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var token = RawTokens.Signed(_t, RawTokens.Header(_t), RawTokens.AccessPayload(_t, ("nbf", nbf)));
        Assert.Equal(TokenFailure.NotYetValid, await _t.FailureOfAsync(token));
        _t.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(TokenFailure.None, await _t.FailureOfAsync(token));
    }

    [Fact]
    public async Task An_iat_in_the_future_is_not_compared_with_the_clock()
    {
        var iat = _t.Time.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var token = RawTokens.Signed(_t, RawTokens.Header(_t), RawTokens.AccessPayload(_t, ("iat", iat)));
        Assert.Equal(TokenFailure.None, await _t.FailureOfAsync(token));
    }

    [Fact]
    public async Task An_ID_token_on_an_access_only_validator_has_the_wrong_token_use()
    {
        var result = await _t.ValidateAsync(_t.Pool.MintIdToken());
        Assert.Equal(TokenFailure.InvalidTokenUse, result.Failure);
        Assert.Equal("The token is an ID token, but only access tokens are accepted.", result.FailureMessage);
    }

    [Fact]
    public async Task An_access_token_on_an_ID_only_validator_has_the_wrong_token_use()
    {
        using var t = new TestPool(o => o.TokenUse = ["id"]);
        Assert.Equal(TokenFailure.InvalidTokenUse, await t.FailureOfAsync(t.Pool.MintAccessToken()));
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(t.Pool.MintIdToken()));
    }

    [Theory]
    [InlineData("\"refresh\"")]
    [InlineData("\"ACCESS\"")]
    [InlineData("\"\"")]
    public async Task An_unknown_token_use_is_rejected(string tokenUse) =>
        Assert.Equal(TokenFailure.InvalidTokenUse, await _t.FailureOfAsync(RawTokens.Signed(_t, RawTokens.Header(_t), RawTokens.AccessPayload(_t, ("token_use", tokenUse)))));

    [Fact]
    public async Task An_access_token_of_another_app_client_is_rejected()
    {
        var token = _t.Pool.MintAccessToken(new LocalTokenOptions { ClientId = "otherclient0000000000000000" });
        var result = await _t.ValidateAsync(token);
        Assert.Equal(TokenFailure.InvalidClient, result.Failure);
        Assert.Equal("The token was issued to an app client that is not allowed.", result.FailureMessage);
    }

    [Fact]
    public async Task An_access_token_is_checked_on_client_id_not_aud()
    {
        // An aud naming the allowed client must not rescue an access token issued to another client.
        var payload = RawTokens.AccessPayload(_t, ("client_id", "\"otherclient\""), ("aud", $"\"{_t.Pool.DefaultClientId}\""));
        Assert.Equal(TokenFailure.InvalidClient, await _t.FailureOfAsync(RawTokens.Signed(_t, RawTokens.Header(_t), payload)));
    }

    [Fact]
    public async Task An_ID_token_is_checked_on_aud()
    {
        using var t = new TestPool(o => o.TokenUse = ["id", "access"]);
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(t.Pool.MintIdToken()));
        Assert.Equal(TokenFailure.InvalidClient, await t.FailureOfAsync(t.Pool.MintIdToken(new LocalTokenOptions { ClientId = "otherclient" })));
    }

    [Fact]
    public async Task An_ID_token_with_an_aud_array_passes_when_one_entry_is_allowed()
    {
        using var t = new TestPool(o => o.TokenUse = ["id"]);
        var payload = RawTokens.AccessPayload(t, ("token_use", "\"id\""), ("client_id", null), ("aud", $"[\"someone-else\",\"{t.Pool.DefaultClientId}\"]"));
        var result = await t.ValidateAsync(RawTokens.Signed(t, RawTokens.Header(t), payload));
        Assert.True(result.IsValid, result.FailureMessage);
        Assert.Equal(t.Pool.DefaultClientId, result.Token!.ClientId);

        var none = RawTokens.AccessPayload(t, ("token_use", "\"id\""), ("client_id", null), ("aud", "[\"a\",\"b\"]"));
        Assert.Equal(TokenFailure.InvalidClient, await t.FailureOfAsync(RawTokens.Signed(t, RawTokens.Header(t), none)));
    }

    [Fact]
    public async Task An_ID_token_without_aud_is_missing_a_claim()
    {
        using var t = new TestPool(o => o.TokenUse = ["id"]);
        var payload = RawTokens.AccessPayload(t, ("token_use", "\"id\""), ("client_id", null));
        Assert.Equal(TokenFailure.MissingClaim, await t.FailureOfAsync(RawTokens.Signed(t, RawTokens.Header(t), payload)));
    }

    [Fact]
    public async Task AllowAnyClient_accepts_every_client_of_the_pool()
    {
        using var t = new TestPool(o =>
        {
            o.ClientIds.Clear();
            o.AllowAnyClient = true;
        });
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(t.Pool.MintAccessToken(new LocalTokenOptions { ClientId = "anyclient" })));
    }

    [Fact]
    public async Task Failure_messages_never_contain_the_token_or_its_parts()
    {
        var tokens = new[]
        {
            LocalUserPool.TamperSignature(_t.Pool.MintAccessToken()),
            _t.Pool.MintIdToken(),
            _t.Pool.MintExpiredAccessToken(TimeSpan.FromSeconds(5)),
            _t.Pool.MintAccessToken(new LocalTokenOptions { ClientId = "otherclient" }),
            RawTokens.Signed(_t, RawTokens.Header(_t), RawTokens.AccessPayload(_t, ("iss", "\"https://attacker.example/pool\""))),
        };
        foreach (var token in tokens)
        {
            var result = await _t.ValidateAsync(token);
            Assert.False(result.IsValid);
            foreach (var part in token.Split('.'))
            {
                Assert.DoesNotContain(part, result.FailureMessage, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("attacker", result.FailureMessage, StringComparison.Ordinal);
            Assert.DoesNotContain("otherclient", result.FailureMessage, StringComparison.Ordinal);
        }
    }
}
