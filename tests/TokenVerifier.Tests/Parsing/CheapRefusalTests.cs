using System.Globalization;
using System.Text;
using TokenVerifier.Tests.Security;
using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Parsing;

/// <summary>
/// A forged token is refused before its claims are read: the payload is only scanned for <c>iss</c> until the issuer,
/// key and signature have passed, so the strict checks at every depth and the claims are for signed tokens alone.
/// </summary>
public sealed class CheapRefusalTests : IDisposable
{
    private const string ForeignIssuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Forged99";

    private readonly TestPool _t = new();

    public void Dispose() => _t.Dispose();

    [Theory]
    [InlineData("address", "{\"city\":\"Lyon\",\"city\":\"Paris\"}")]
    [InlineData("custom:x", "{\"a\":\"\\ud800\"}")]
    [InlineData("Username", "\"root\"")]
    [InlineData("sub", "\"again\"")]
    public async Task A_foreign_issuer_is_refused_before_the_payload_is_checked_at_depth(string name, string json)
    {
        // Signed by the trusted pool's own key, and still refused for its issuer: the deep checks wait for a trusted one.
        var payload = RawTokens.AccessPayload(_t, ("iss", $"\"{ForeignIssuer}\""))[..^1] + $",\"{name}\":{json}}}";
        Assert.Equal(TokenFailure.UnknownIssuer, await _t.FailureOfAsync(RawTokens.Signed(_t, RawTokens.Header(_t), payload)));
        Assert.Equal(0, _t.Network.Count);
    }

    [Fact]
    public async Task The_same_faults_under_the_trusted_issuer_are_malformed_once_signed()
    {
        var payload = RawTokens.AccessPayload(_t)[..^1] + ",\"address\":{\"city\":\"Lyon\",\"city\":\"Paris\"}}";
        Assert.Equal(TokenFailure.Malformed, await _t.FailureOfAsync(RawTokens.Signed(_t, RawTokens.Header(_t), payload)));
    }

    [Fact]
    public async Task A_nested_duplicate_under_the_trusted_issuer_with_a_forged_signature_fails_the_signature()
    {
        var payload = RawTokens.AccessPayload(_t)[..^1] + ",\"address\":{\"city\":\"Lyon\",\"city\":\"Paris\"}}";
        var forged = RawTokens.Unsigned(RawTokens.Header(_t), payload, RawTokens.Signed(_t, RawTokens.Header(_t), RawTokens.AccessPayload(_t)).Split('.')[2]);
        Assert.Equal(TokenFailure.InvalidSignature, await _t.FailureOfAsync(forged));
    }

    [Theory]
    [InlineData("{\"iss\":\"a\",\"iss\":\"b\"}")]
    [InlineData("{\"iss\":\"a\",\"i\\u0073s\":\"b\"}")]
    [InlineData("{\"iss\":\"a\"} ")]
    [InlineData("[{\"iss\":\"a\"}]")]
    [InlineData("{\"iss\":\"a\",\"x\":[1,}")]
    public async Task A_payload_whose_issuer_cannot_be_told_is_malformed_before_the_issuer(string payload)
    {
        Assert.Equal(TokenFailure.Malformed, await _t.FailureOfAsync(RawTokens.Signed(_t, RawTokens.Header(_t), payload)));
        Assert.Equal(0, _t.Network.Count);
    }

    [Fact]
    public async Task A_large_forged_foreign_issuer_token_is_refused_without_building_its_claims()
    {
        // ~15 KB: 1,000 members, as an attacker would send to make every refusal expensive.
        var members = new StringBuilder();
        for (var i = 0; i < 1000; i++)
        {
            members.Append(CultureInfo.InvariantCulture, $",\"m{i}\":{i}");
        }

        // No validated-token cache, so the signed token below is read again rather than served from it.
        using var t = new TestPool(o => o.ValidatedTokenCacheSize = 0);
        var foreign = RawTokens.Unsigned(RawTokens.Header(t), $"{{\"iss\":\"{ForeignIssuer}\"{members}}}", new string('A', 342));
        var trusted = RawTokens.Signed(t, RawTokens.Header(t), RawTokens.AccessPayload(t)[..^1] + members + "}");
        Assert.InRange(foreign.Length, 14_000, t.Options.MaxTokenLength);

        // Warm up (JIT, the interned issuer, the key set), then measure one validation of each on this thread. The
        // refusal is measured in steady state, after another refusal: the first one after an acceptance may find this
        // thread's pooled decode buffer taken (the accepted token keeps its payload for claims read later) and rent anew.
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(trusted));
        Assert.Equal(TokenFailure.UnknownIssuer, await t.FailureOfAsync(foreign));
        // The least of three refusals: a one-off of the runtime on this thread (a type loaded, a pool trimmed while the
        // whole suite runs beside it) once showed as 6.5 KB in one refusal; building the claims would show in every one.
        var refused = long.MaxValue;
        UserPoolValidationResult refusal = null!;
        for (var i = 0; i < 3; i++)
        {
            refused = Math.Min(refused, AllocatedBy(() => t.Validator.ValidateAsync(foreign), out refusal));
        }

        var accepted = AllocatedBy(() => t.Validator.ValidateAsync(trusted), out var acceptance);

        Assert.True(acceptance.IsValid, acceptance.FailureMessage);
        Assert.Equal(TokenFailure.UnknownIssuer, refusal.Failure);

        // Building 1,000 claims costs about 100 KB (names, values, the claim array); the refusal must cost none of it.
        Assert.True(refused < 4 * 1024, $"The refusal allocated {refused} bytes.");
        Assert.True(accepted > 50 * 1024, $"Reading the same members for a signed token allocated only {accepted} bytes, so the bound proves nothing.");
    }

    [Fact]
    public async Task A_large_forged_token_refused_before_its_issuer_and_key_are_known_is_never_copied_from_the_header()
    {
        // As the handler passes a token: a slice of the Authorization header's string, 16,000 characters of it.
        using var t = new TestPool(o => o.ValidatedTokenCacheSize = 0);
        var padding = new string('x', 11_000);
        var foreign = RawTokens.Unsigned(RawTokens.Header(t), $"{{\"iss\":\"{ForeignIssuer}\",\"pad\":\"{padding}\"}}", new string('A', 342));
        var junk = $"{Forge.B64(RawTokens.Header(t))}.{new string('j', 15_000)}.{new string('A', 342)}";
        var trusted = RawTokens.Signed(t, RawTokens.Header(t), RawTokens.AccessPayload(t)[..^1] + $",\"pad\":\"{padding}\"}}");
        foreach (var (token, failure) in new[] { (foreign, TokenFailure.UnknownIssuer), (junk, TokenFailure.Malformed), (trusted, TokenFailure.None) })
        {
            var slice = ("Bearer " + token).AsMemory(7);
            Assert.Equal(failure, (await t.Validator.ValidateAsync(slice)).Failure);
            await t.Validator.ValidateAsync(slice);
            var copied = AllocatedBy(() => t.Validator.ValidateAsync(slice), out var result);
            Assert.Equal(failure, result.Failure);

            // A copy of the token is 2 bytes a character; the refusals stay far below one, the accepted token makes one.
            if (failure == TokenFailure.None)
            {
                Assert.True(copied > 2 * token.Length, $"The accepted token allocated only {copied} bytes, so the bound proves nothing.");
            }
            else
            {
                Assert.True(copied < 2 * 1024, $"The refusal ({failure}) allocated {copied} bytes for a {token.Length}-character token.");
            }
        }
    }

    private static long AllocatedBy(Func<ValueTask<UserPoolValidationResult>> validate, out UserPoolValidationResult result)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var pending = validate();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(pending.IsCompletedSuccessfully, "With the keys cached and no revocation store, validation completes synchronously.");
        result = pending.AsTask().Result;
        return allocated;
    }
}
