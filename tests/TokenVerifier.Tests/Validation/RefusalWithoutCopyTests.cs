using System.Security.Claims;
using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Validation;

/// <summary>
/// A token handed over as part of a larger string (the <c>Authorization</c> header) stays there until it is accepted: a
/// flood of forged tokens makes no copy of each one, and a refusal allocates next to nothing whatever the token's size.
/// </summary>
public sealed class RefusalWithoutCopyTests : IDisposable
{
    private const string ForeignIssuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Forged99";

    private readonly TestPool _t = new();

    public void Dispose() => _t.Dispose();

    public static TheoryData<string, TokenFailure> Refusals() => new()
    {
        { "foreign issuer", TokenFailure.UnknownIssuer },
        { "bad signature", TokenFailure.InvalidSignature },
        { "junk payload", TokenFailure.Malformed },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_token_is_not_copied_out_of_the_header(string kind, TokenFailure expected)
    {
        var token = kind switch
        {
            "foreign issuer" => LocalUserPool.TamperPayload(_t.Pool.MintAccessToken(), "iss", $"\"{ForeignIssuer}\""),
            "bad signature" => LocalUserPool.TamperSignature(_t.Pool.MintAccessToken()),
            _ => Junk(),
        };
        var header = "Bearer " + token;

        // Warm up: JIT, the key set, the interned issuer, this thread's pooled decode buffers.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(expected, (await _t.Validator.ValidateAsync(header.AsMemory(7))).Failure);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var pending = _t.Validator.ValidateAsync(header.AsMemory(7));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(pending.IsCompletedSuccessfully, "With the keys cached, a refusal completes synchronously.");
        Assert.Equal(expected, (await pending).Failure);

        // A copy of the token alone is two bytes a character: 2.4 KB for the 1.2 KB token, 32 KB for the junk.
        Assert.True(allocated < 1024, $"Refusing a {token.Length}-character token ({kind}) allocated {allocated} bytes.");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public async Task A_token_accepted_from_a_header_keeps_all_its_claims(int cacheSize)
    {
        using var t = new TestPool(o => o.ValidatedTokenCacheSize = cacheSize);
        var options = new LocalTokenOptions { Username = "carol" };
        options.Groups.Add("admins");
        options.Scopes.Add("orders/read");
        var token = t.Pool.MintAccessToken(options);

        // Twice: the second is served from the cache when there is one.
        for (var i = 0; i < 2; i++)
        {
            var header = "Bearer " + token;
            var result = await t.Validator.ValidateAsync(header.AsMemory(7));

            Assert.True(result.IsValid, result.FailureMessage);
            var expected = (await t.Validator.ValidateAsync(token)).Identity!.Claims.Select(c => (c.Type, c.Value));
            Assert.Equal(expected, result.Identity!.Claims.Select(c => (c.Type, c.Value)));
            Assert.Equal("carol", result.Identity.Name);
            Assert.True(new ClaimsPrincipal(result.Identity).IsInRole("admins"));
        }
    }

    [Fact]
    public async Task Refusals_of_one_reason_keep_their_own_message()
    {
        // Failed results are shared per reason while the message is the same: two validators whose TooLarge messages
        // differ, taking turns, must each report their own limit.
        using var small = new TestPool(o => o.MaxTokenLength = 5000);
        using var large = new TestPool(o => o.MaxTokenLength = 6000);
        var token = new string('A', 7000);

        for (var i = 0; i < 3; i++)
        {
            var a = await small.ValidateAsync(token);
            var b = await large.ValidateAsync(token);

            Assert.Equal(TokenFailure.TooLarge, a.Failure);
            Assert.Equal("The token is longer than 5000 characters.", a.FailureMessage);
            Assert.Equal(TokenFailure.TooLarge, b.Failure);
            Assert.Equal("The token is longer than 6000 characters.", b.FailureMessage);
        }
    }

    // 16,000 characters behind the pool's own header, as long as the default MaxTokenLength lets a token be: canonical
    // base64url that decodes to zero bytes, which is not JSON.
    private string Junk()
    {
        var header = _t.Pool.MintAccessToken().Split('.')[0];
        var signature = new string('A', 344);
        var payload = new string('A', (16_000 - header.Length - signature.Length - 2) / 4 * 4);
        return $"{header}.{payload}.{signature}";
    }
}
