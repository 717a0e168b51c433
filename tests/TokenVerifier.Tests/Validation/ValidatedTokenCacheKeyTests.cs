using System.Security.Claims;
using System.Text;
using TokenVerifier.Claims;
using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Validation;

/// <summary>
/// The validated-token cache's key: the token's ASCII bytes, compared with a request's characters over the whole token,
/// shared with the validated token that reads its claims from them, and never made from a token that is not ASCII.
/// </summary>
public sealed class ValidatedTokenCacheKeyTests : IDisposable
{
    private readonly TestPool _t = new();

    public void Dispose() => _t.Dispose();

    private ValidatedTokenCache Cache => _t.Validator.TokenCache!;

    [Fact]
    public async Task A_token_that_differs_from_a_cached_one_in_any_single_character_misses()
    {
        var token = _t.Pool.MintAccessToken(new LocalTokenOptions { Username = "carol" });
        Assert.True((await _t.ValidateAsync(token)).IsValid);

        // Every position, each changed to another ASCII character and to one whose low byte is the original character:
        // a comparison that narrowed the request's characters, or skipped a block of the token, would hit.
        var misses = new List<string>();
        for (var i = 0; i < token.Length; i++)
        {
            foreach (var replacement in new[] { token[i] == 'A' ? 'B' : 'A', (char)(token[i] + 0x100) })
            {
                if (Cache.TryGet(WithCharacter(token, i, replacement).AsSpan(), out _))
                {
                    misses.Add($"position {i} changed to U+{(int)replacement:X4}");
                }
            }
        }

        Assert.Empty(misses);
        Assert.True(Cache.TryGet(token, out var cached));
        Assert.Equal("carol", cached!.Username);
    }

    [Theory]
    [InlineData("header")]
    [InlineData("payload")]
    [InlineData("signature")]
    [InlineData("last")]
    public async Task Two_cached_tokens_one_character_apart_each_get_their_own_entry(string where)
    {
        var token = _t.Pool.MintAccessToken(new LocalTokenOptions { Username = "carol" });
        var carol = (await _t.ValidateAsync(token)).Token!;
        var i = where switch
        {
            "header" => 5,
            "payload" => token.IndexOf('.', StringComparison.Ordinal) + 40,
            "signature" => token.LastIndexOf('.') + 100,
            _ => token.Length - 1,
        };

        // A second entry one character away (the cache trusts its caller, so no signature is needed for this), with
        // the same tail, and so the same bucket, unless the character is in the tail.
        var neighbour = WithCharacter(token, i, token[i] == 'A' ? 'Q' : 'A');
        var other = new UserPoolToken { KeyId = carol.KeyId, Username = "mallory" };
        Assert.True(_t.Keys.TryGetKey(carol.KeyId, out var key));
        Cache.Add(neighbour, other, _t.Keys, key!, carol.ExpiresAt.ToUnixTimeSeconds(), double.NegativeInfinity);

        Assert.Equal(2, _t.Validator.CacheStatistics.Count);
        Assert.True(Cache.TryGet(token, out var first));
        Assert.Same(carol, first);
        Assert.True(Cache.TryGet(("Bearer " + neighbour).AsSpan(7), out var second));
        Assert.Same(other, second);
    }

    [Theory]
    [InlineData(5, 0x100)] // a character whose low byte is the original one, in the header
    [InlineData(400, 0x100)] // the same in the payload
    [InlineData(-1, 0x100)] // the last character of the signature
    [InlineData(400, -1)] // é
    public async Task A_token_with_a_character_beyond_ASCII_is_refused_without_a_crash_and_never_cached(int position, int offset)
    {
        var token = _t.Pool.MintAccessToken();
        Assert.True((await _t.ValidateAsync(token)).IsValid);
        var i = position < 0 ? token.Length + position : position;
        var foreign = WithCharacter(token, i, offset < 0 ? 'é' : (char)(token[i] + offset));

        Assert.Equal(TokenFailure.Malformed, await _t.FailureOfAsync(foreign));
        Assert.Equal(TokenFailure.Malformed, (await _t.Validator.ValidateAsync(("Bearer " + foreign).AsMemory(7))).Failure);
        Assert.Equal(new ValidatedTokenCacheStatistics(Hits: 0, Misses: 3, Evictions: 0, Count: 1, Capacity: 10_000), _t.Validator.CacheStatistics);
    }

    [Fact]
    public async Task The_cache_itself_refuses_to_key_a_token_that_is_not_ASCII()
    {
        // The validator never offers one (the shape check refuses it first); the cache does not rely on that.
        var token = _t.Pool.MintAccessToken();
        var valid = (await _t.ValidateAsync(token)).Token!;
        Assert.True(_t.Keys.TryGetKey(valid.KeyId, out var key));
        var other = new UserPoolToken { KeyId = valid.KeyId, Source = "unchanged" };

        Cache.Add(token[..^1] + "\u00e9", other, _t.Keys, key!, valid.ExpiresAt.ToUnixTimeSeconds(), double.NegativeInfinity);
        Cache.Add("\ud83d\ude00" + token[2..], other, _t.Keys, key!, valid.ExpiresAt.ToUnixTimeSeconds(), double.NegativeInfinity);

        Assert.Equal(1, _t.Validator.CacheStatistics.Count);
        Assert.Equal("unchanged", other.Source);
        Assert.Null(other.AsciiSource);
    }

    [Fact]
    public async Task A_cached_token_keeps_only_its_ASCII_bytes_and_reads_the_same_claims_from_them()
    {
        var token = _t.Pool.MintAccessToken(new LocalTokenOptions { Username = "dora", Groups = { "admins", "ops" } });

        var validated = (await _t.ValidateAsync(token)).Token!;

        // The request's string is let go: an entry holding it as well would keep the token twice, once at twice the size.
        Assert.Null(validated.Source);
        Assert.Equal(Encoding.ASCII.GetBytes(token), validated.AsciiSource);
        var claims = validated.ReadClaims();
        Assert.Equal(JwtReader.ReadClaims(token), claims);
        Assert.Contains(new ClaimData("username", "dora", ClaimValueTypes.String), claims);
        Assert.Equal("dora", validated.CreateIdentity("test").Claims.Single(c => c.Type == "username").Value);
    }

    [Fact]
    public async Task A_hit_allocates_nothing_in_the_cache()
    {
        var token = _t.Pool.MintAccessToken();
        Assert.True((await _t.ValidateAsync(token)).IsValid);
        var header = "Bearer " + token;
        Assert.True(Cache.TryGet(token, out _));
        Assert.True(Cache.TryGet(header.AsSpan(7), out _));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var hits = 0;
        for (var i = 0; i < 100; i++)
        {
            hits += Cache.TryGet(token, out _) ? 1 : 0;
            hits += Cache.TryGet(header.AsSpan(7), out _) ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(200, hits);
        Assert.Equal(0, allocated);
    }

    private static string WithCharacter(string token, int index, char replacement) =>
        string.Create(token.Length, (token, index, replacement), static (chars, s) =>
        {
            s.token.AsSpan().CopyTo(chars);
            chars[s.index] = s.replacement;
        });
}
