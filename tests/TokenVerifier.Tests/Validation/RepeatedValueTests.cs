using System.Text;
using TokenVerifier.Claims;
using TokenVerifier.Tests.Parsing;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Validation;

/// <summary>Values that repeat across tokens (scopes, groups, issuer, client) are shared between tokens yet read exactly.</summary>
public sealed class RepeatedValueTests : IDisposable
{
    private readonly TestPool _t = new(o => o.ValidatedTokenCacheSize = 0);

    public void Dispose() => _t.Dispose();

    [Theory]
    [InlineData("\"orders/read orders/write\"", new[] { "orders/read", "orders/write" })]
    [InlineData("\"  orders/read   orders/write \"", new[] { "orders/read", "orders/write" })]
    [InlineData("\"orders\\/read orders\\u002Fwrite\"", new[] { "orders/read", "orders/write" })]
    [InlineData("\"caf\u00e9/read\"", new[] { "caf\u00e9/read" })]
    [InlineData("\"\"", new string[0])]
    [InlineData("\"   \"", new string[0])]
    public async Task Scopes_are_split_on_spaces_exactly_as_written(string scopeJson, string[] expected)
    {
        var token = RawTokens.Signed(_t, RawTokens.Header(_t), RawTokens.AccessPayload(_t, ("scope", scopeJson)));
        var result = await _t.ValidateAsync(token);
        Assert.True(result.IsValid, result.FailureMessage);
        Assert.Equal(expected, result.Token!.Scopes);
        Assert.Equal(expected, result.Identity!.FindAll(UserPoolClaimTypes.Scope).Select(c => c.Value));
    }

    [Fact]
    public async Task Two_tokens_with_the_same_groups_and_scopes_read_back_their_own_values()
    {
        // Group names of this test's own: a group list another test validated is served from the shared list table,
        // with the strings interned when it was read, which the interning table may have replaced since.
        var (first, second) = await ReadPairAsync(0);
        Assert.Equal(["repeated-admins", "repeated-ops"], first.Groups);
        Assert.Equal(["a/b", "c/d"], first.Scopes);
        Assert.Equal(["repeated-ops", "repeated-admins2"], second.Groups);
        Assert.Equal(["c/d", "a/bb"], second.Scopes);

        // The reads share the string, unless a test running beside this one took its slot in the interning table between them.
        var shared = ReferenceEquals(first.Groups[1], second.Groups[0]) || await SharedTableRetry.AnyAttemptSharesAsync(async attempt =>
        {
            var (again, otherAgain) = await ReadPairAsync(attempt);
            return ReferenceEquals(again.Groups[1], otherAgain.Groups[0]);
        });
        Assert.True(shared, "Two tokens naming the same group never shared its string.");

        // Two new tokens, with group lists of their own after the first attempt (the attempt also makes each pair differ from
        // the last, so neither comes from the validated-token cache).
        async Task<(UserPoolToken First, UserPoolToken Second)> ReadPairAsync(int attempt)
        {
            var suffix = attempt == 0 ? "" : $"-{attempt}";
            var one = await _t.ValidateAsync(RawTokens.Signed(_t, RawTokens.Header(_t), RawTokens.AccessPayload(_t, ("cognito:groups", $"[\"repeated-admins{suffix}\",\"repeated-ops\"]"), ("scope", "\"a/b c/d\""), ("custom:attempt", $"\"{attempt}\""))));
            var other = await _t.ValidateAsync(RawTokens.Signed(_t, RawTokens.Header(_t), RawTokens.AccessPayload(_t, ("cognito:groups", $"[\"repeated-ops\",\"repeated-admins2{suffix}\"]"), ("scope", "\"c/d a/bb\""), ("custom:attempt", $"\"{attempt}\""))));
            Assert.True(one.IsValid, one.FailureMessage);
            Assert.True(other.IsValid, other.FailureMessage);
            return (one.Token!, other.Token!);
        }
    }

    [Theory]
    [InlineData("scope")]
    [InlineData("cognito:groups")]
    [InlineData("client_id")]
    public async Task A_value_that_is_not_UTF8_is_still_malformed(string claim)
    {
        var payload = Encoding.UTF8.GetBytes(RawTokens.AccessPayload(_t, (claim, "\"x#y\"")));
        var at = Array.IndexOf(payload, (byte)'#');
        payload[at] = 0xFF;
        var token = _t.Pool.SignRaw(Encoding.UTF8.GetBytes(RawTokens.Header(_t)), payload);
        Assert.Equal(TokenFailure.Malformed, await _t.FailureOfAsync(token));
    }
}
