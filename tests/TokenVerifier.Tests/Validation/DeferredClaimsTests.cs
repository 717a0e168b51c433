using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Validation;

/// <summary>
/// The per-token strings of a validated token (<c>sub</c>, <c>jti</c>, <c>origin_jti</c>, the user name) are made only
/// when asked for, read again from the token: the values must be those minted, from the request's string and from the
/// validated-token cache's ASCII copy alike, and a validation that reads none of them must not make them.
/// </summary>
public sealed class DeferredClaimsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public async Task The_strings_read_back_as_minted_with_the_cache_off_and_on(int cacheSize)
    {
        using var t = new TestPool(o =>
        {
            o.ValidatedTokenCacheSize = cacheSize;
            o.TokenUse = ["access", "id"];
        });
        var set = t.Pool.SignIn(new LocalTokenOptions { Username = "zoë", Subject = "subject-ü-1", OriginJti = "origin-1", Jti = "jti-1" });

        // Twice each: with the cache on, the second is served from the entry, which reads from its ASCII key.
        for (var round = 0; round < 2; round++)
        {
            var access = (await t.ValidateAsync(set.AccessToken)).Token!;
            Assert.Equal("subject-ü-1", access.Subject);
            Assert.Equal("zoë", access.Username);
            Assert.Equal("jti-1", access.TokenId);
            Assert.Equal("origin-1", access.OriginTokenId);

            var idResult = await t.ValidateAsync(set.IdToken);
            Assert.True(idResult.IsValid, idResult.FailureMessage);
            var id = idResult.Token!;
            Assert.Equal("subject-ü-1", id.Subject);
            Assert.Equal("zoë", id.Username);
            Assert.Equal("origin-1", id.OriginTokenId);
        }
    }

    [Fact]
    public async Task A_validation_that_reads_no_per_token_string_makes_none()
    {
        // Without the validated-token cache, so that every validation reads the token.
        using var t = new TestPool(o => o.ValidatedTokenCacheSize = 0);
        var small = t.Pool.MintAccessToken(new LocalTokenOptions { Username = "u", Subject = "s" });
        var large = t.Pool.MintAccessToken(new LocalTokenOptions { Username = new string('u', 2_000), Subject = new string('s', 2_000) });

        // Warm both paths, then compare what one validation of each allocates: made eagerly, the two 2,000-character
        // strings alone would be 8 KB more for the large token.
        var smallBytes = await AllocatedByAsync(t, small);
        var largeBytes = await AllocatedByAsync(t, large);

        Assert.True(largeBytes - smallBytes < 512, $"{smallBytes} B for the small token, {largeBytes} B for the large one");
        Assert.Equal(new string('s', 2_000), (await t.ValidateAsync(large)).Token!.Subject);
    }

    private static async Task<long> AllocatedByAsync(TestPool t, string token)
    {
        Assert.True((await t.ValidateAsync(token)).IsValid);
        var least = long.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            // Synchronous (the key is cached), so the whole validation runs on this thread.
            var before = GC.GetAllocatedBytesForCurrentThread();
            var result = t.Validator.ValidateAsync(token);
            var after = GC.GetAllocatedBytesForCurrentThread();
            Assert.True(result.IsCompletedSuccessfully && result.Result.IsValid);
            least = Math.Min(least, after - before);
        }

        return least;
    }
}
