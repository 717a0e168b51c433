using System.Net;
using System.Security.Claims;
using TokenVerifier.Claims;
using TokenVerifier.Keys;
using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Validation;

/// <summary>The validated-token cache: served on repeat, keyed by the whole token, bounded, never past exp, dropped with its key.</summary>
public sealed class ValidatedTokenCacheTests : IDisposable
{
    private readonly TestPool _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public async Task A_repeated_token_is_served_from_the_cache_with_a_new_identity_each_time()
    {
        var token = _t.Pool.MintAccessToken(new LocalTokenOptions { Username = "carol", Groups = { "admins", "ops" } });

        var first = await _t.ValidateAsync(token);
        var second = await _t.ValidateAsync(token);

        Assert.True(first.IsValid, first.FailureMessage);
        Assert.True(second.IsValid, second.FailureMessage);
        Assert.Equal(new ValidatedTokenCacheStatistics(Hits: 1, Misses: 1, Evictions: 0, Count: 1, Capacity: 10_000), _t.Validator.CacheStatistics);
        Assert.Same(first.Token, second.Token);

        // Claims objects belong to one request: a handler that adds or removes a claim must not change the next request.
        Assert.NotSame(first.Identity, second.Identity);
        var firstClaims = first.Identity!.Claims.ToList();
        var secondClaims = second.Identity!.Claims.ToList();
        Assert.Equal(firstClaims.Select(c => (c.Type, c.Value)), secondClaims.Select(c => (c.Type, c.Value)));
        Assert.All(firstClaims.Zip(secondClaims), pair => Assert.NotSame(pair.First, pair.Second));
        Assert.All(secondClaims, c => Assert.Same(second.Identity, c.Subject));
        first.Identity.AddClaim(new Claim(UserPoolClaimTypes.Groups, "root"));
        var third = await _t.ValidateAsync(token);
        Assert.Equal(["admins", "ops"], third.Identity!.FindAll(UserPoolClaimTypes.Groups).Select(c => c.Value));
        Assert.Equal("carol", third.Identity.Name);
    }

    [Fact]
    public async Task A_token_inside_a_header_is_found_in_the_cache_without_being_copied_out_and_only_as_a_whole()
    {
        var token = _t.Pool.MintAccessToken(new LocalTokenOptions { Username = "dora" });
        var header = "Bearer " + token;
        Assert.True((await _t.ValidateAsync(token)).IsValid);

        var fromHeader = await _t.Validator.ValidateAsync(header.AsMemory(7));
        Assert.True(fromHeader.IsValid, fromHeader.FailureMessage);
        Assert.Equal("dora", fromHeader.Identity!.Name);
        Assert.Equal(1, _t.Validator.CacheStatistics.Hits);

        // One character short of the cached token is a different token: a miss, then a full validation that fails.
        var truncated = await _t.Validator.ValidateAsync(header.AsMemory(7, token.Length - 1));
        Assert.False(truncated.IsValid);
        Assert.Equal(1, _t.Validator.CacheStatistics.Hits);
        Assert.Equal(2, _t.Validator.CacheStatistics.Misses);

        // A token never seen is validated in full from the slice.
        var other = "Bearer " + _t.Pool.MintAccessToken(new LocalTokenOptions { Username = "eve" });
        var fresh = await _t.Validator.ValidateAsync(other.AsMemory(7));
        Assert.Equal("eve", fresh.Identity!.Name);
        Assert.Equal(3, _t.Validator.CacheStatistics.Misses);
    }

    [Fact]
    public async Task A_token_that_differs_only_before_its_signature_is_not_served_from_the_cache()
    {
        var token = _t.Pool.MintAccessToken();
        Assert.True((await _t.ValidateAsync(token)).IsValid);

        // Same signature, so the same hash and bucket as the cached entry: only full-string equality tells them apart.
        var tampered = LocalUserPool.TamperPayload(token, "username", "\"mallory\"");
        Assert.Equal(token[token.LastIndexOf('.')..], tampered[tampered.LastIndexOf('.')..]);

        Assert.Equal(TokenFailure.InvalidSignature, await _t.FailureOfAsync(tampered));
        Assert.Equal(0, _t.Validator.CacheStatistics.Hits);
        Assert.Equal(2, _t.Validator.CacheStatistics.Misses);
        Assert.Equal(1, _t.Validator.CacheStatistics.Count);
    }

    [Fact]
    public async Task The_cache_holds_at_most_its_capacity_and_keeps_a_token_used_since_it_was_added()
    {
        using var t = new TestPool(o => o.ValidatedTokenCacheSize = 3);
        var tokens = Enumerable.Range(0, 4).Select(i => t.Pool.MintAccessToken(new LocalTokenOptions { Username = $"user{i}" })).ToArray();
        foreach (var token in tokens[..3])
        {
            Assert.True((await t.ValidateAsync(token)).IsValid);
        }

        Assert.True((await t.ValidateAsync(tokens[0])).IsValid); // token 0 is used again: token 1 is now the oldest unused
        Assert.True((await t.ValidateAsync(tokens[3])).IsValid);
        Assert.Equal(new ValidatedTokenCacheStatistics(Hits: 1, Misses: 4, Evictions: 1, Count: 3, Capacity: 3), t.Validator.CacheStatistics);

        Assert.True((await t.ValidateAsync(tokens[0])).IsValid);
        Assert.True((await t.ValidateAsync(tokens[3])).IsValid);
        Assert.Equal(3, t.Validator.CacheStatistics.Hits);
        Assert.True((await t.ValidateAsync(tokens[1])).IsValid);
        Assert.Equal(5, t.Validator.CacheStatistics.Misses);
        Assert.Equal(3, t.Validator.CacheStatistics.Count);
    }

    [Fact]
    public async Task A_large_cache_stays_within_its_bound_across_segments()
    {
        // 600 entries make two segments; whichever way the tokens hash, the total never passes the configured bound.
        using var t = new TestPool(o => o.ValidatedTokenCacheSize = 600);
        for (var i = 0; i < 700; i++)
        {
            Assert.True((await t.ValidateAsync(t.Pool.MintAccessToken(new LocalTokenOptions { Username = $"u{i}" }))).IsValid);
        }

        var stats = t.Validator.CacheStatistics;
        Assert.InRange(stats.Count, 500, 600);
        Assert.Equal(700, stats.Count + stats.Evictions);
        Assert.Equal(700, stats.Misses);
    }

    [Fact]
    public async Task A_cached_token_is_served_until_exp_and_not_at_exp()
    {
        var token = _t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromMinutes(5) });
        Assert.True((await _t.ValidateAsync(token)).IsValid);

        _t.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(1));
        Assert.True((await _t.ValidateAsync(token)).IsValid);
        Assert.Equal(1, _t.Validator.CacheStatistics.Hits);

        _t.Time.Advance(TimeSpan.FromMilliseconds(1));
        var expired = await _t.ValidateAsync(token);
        Assert.Equal(TokenFailure.Expired, expired.Failure);
        Assert.Equal(new ValidatedTokenCacheStatistics(Hits: 1, Misses: 2, Evictions: 0, Count: 0, Capacity: 10_000), _t.Validator.CacheStatistics);
    }

    [Fact]
    public async Task The_clock_skew_extends_a_cached_token_exactly_as_it_extends_a_fresh_one()
    {
        using var t = new TestPool(o => o.ClockSkew = TimeSpan.FromMinutes(1));
        var token = t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromMinutes(5) });
        Assert.True((await t.ValidateAsync(token)).IsValid);

        t.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(59));
        Assert.True((await t.ValidateAsync(token)).IsValid);
        Assert.Equal(1, t.Validator.CacheStatistics.Hits);

        t.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TokenFailure.Expired, await t.FailureOfAsync(token));
        Assert.Equal(1, t.Validator.CacheStatistics.Hits);
    }

    [Fact]
    public async Task Entries_of_a_key_removed_from_the_key_set_are_dropped_when_the_new_set_arrives()
    {
        var oldToken = _t.Pool.MintAccessToken();
        var oldKeyId = _t.Pool.CurrentKeyId;
        Assert.True((await _t.ValidateAsync(oldToken)).IsValid);
        _t.Pool.RotateKey(keepPreviousKey: true);
        var newToken = _t.Pool.MintAccessToken();
        Assert.True((await _t.ValidateAsync(newToken)).IsValid);
        Assert.Equal(2, _t.Validator.CacheStatistics.Count);

        _t.Pool.RemoveKey(oldKeyId);
        Assert.True(await _t.Keys.RefreshAsync());

        // Dropped by the refresh itself, before any request comes.
        Assert.Equal(1, _t.Validator.CacheStatistics.Count);
        Assert.Equal(TokenFailure.KeyNotFound, await _t.FailureOfAsync(oldToken));
        Assert.True((await _t.ValidateAsync(newToken)).IsValid);
        Assert.Equal(1, _t.Validator.CacheStatistics.Hits);
    }

    [Fact]
    public async Task Other_validators_sharing_the_key_cache_drop_their_entries_too()
    {
        var other = new UserPoolTokenValidator(_t.Options, _t.Registry, _t.Time);
        var token = _t.Pool.MintAccessToken();
        Assert.True((await other.ValidateAsync(token)).IsValid);

        _t.Pool.RotateKey(keepPreviousKey: false);
        Assert.True(await _t.Keys.RefreshAsync());

        Assert.Equal(0, other.CacheStatistics.Count);
        Assert.Equal(TokenFailure.KeyNotFound, (await other.ValidateAsync(token)).Failure);
    }

    [Fact]
    public async Task A_cached_token_is_not_served_once_its_key_set_is_older_than_MaxStaleness()
    {
        using var t = new TestPool(o =>
        {
            o.KeyRefreshInterval = TimeSpan.FromHours(1);
            o.MaxStaleness = TimeSpan.FromHours(2);
        });
        var token = t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromHours(24) });
        Assert.True((await t.ValidateAsync(token)).IsValid);
        t.Pool.JwksFailureStatus = HttpStatusCode.InternalServerError;

        t.Time.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));

        Assert.Equal(TokenFailure.KeysUnavailable, await t.FailureOfAsync(token));
        Assert.Equal(0, t.Validator.CacheStatistics.Hits);
    }

    [Fact]
    public async Task Hits_keep_the_key_set_refreshed_in_the_background()
    {
        var token = _t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromHours(24) });
        Assert.True((await _t.ValidateAsync(token)).IsValid);
        _t.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        Assert.True((await _t.ValidateAsync(token)).IsValid);
        Assert.Equal(1, _t.Validator.CacheStatistics.Hits);
        await _t.WaitForFreshKeysAsync();

        Assert.Equal(2, _t.Network.Count);
        Assert.Equal(KeySetState.Fresh, _t.Keys.GetStatus().State);
    }

    [Fact]
    public async Task Concurrent_requests_get_the_identity_of_their_own_token_and_every_lookup_is_counted()
    {
        using var t = new TestPool(o => o.ValidatedTokenCacheSize = 20);
        var tokens = Enumerable.Range(0, 50).Select(i => t.Pool.MintAccessToken(new LocalTokenOptions { Username = $"user{i}" })).ToArray();
        const int Workers = 8;
        const int PerWorker = 400;
        var wrong = 0;

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < PerWorker; i++)
            {
                // Mostly a hot few tokens (hits under contention), sometimes a cold one (evictions under contention).
                var n = i % 5 == 0 ? (w * 7 + i) % tokens.Length : i % 4;
                var result = await t.Validator.ValidateAsync(tokens[n]);
                if (!result.IsValid || result.Identity!.Name != $"user{n}")
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        })));

        Assert.Equal(0, wrong);
        var stats = t.Validator.CacheStatistics;
        Assert.Equal(Workers * PerWorker, stats.Hits + stats.Misses);
        Assert.InRange(stats.Count, 1, 20);
        Assert.True(stats.Hits > stats.Misses, stats.ToString());
    }

    [Fact]
    public async Task A_size_of_zero_turns_the_cache_off()
    {
        using var t = new TestPool(o => o.ValidatedTokenCacheSize = 0);
        var token = t.Pool.MintAccessToken();
        Assert.True((await t.ValidateAsync(token)).IsValid);
        Assert.True((await t.ValidateAsync(token)).IsValid);
        Assert.Equal(default, t.Validator.CacheStatistics);
    }

    [Fact]
    public void A_negative_size_is_a_configuration_error()
    {
        var options = new UserPoolValidationOptions { UserPoolId = "us-east-1_Abc123", ClientIds = ["client"], ValidatedTokenCacheSize = -1 };
        Assert.Equal(["ValidatedTokenCacheSize must not be negative (0 turns the cache off)."], options.Validate());
    }

    [Fact]
    public async Task Rejected_tokens_are_never_cached()
    {
        var bad = LocalUserPool.TamperSignature(_t.Pool.MintAccessToken());
        Assert.Equal(TokenFailure.InvalidSignature, await _t.FailureOfAsync(bad));
        Assert.Equal(TokenFailure.InvalidSignature, await _t.FailureOfAsync(bad));
        Assert.Equal(new ValidatedTokenCacheStatistics(Hits: 0, Misses: 2, Evictions: 0, Count: 0, Capacity: 10_000), _t.Validator.CacheStatistics);
    }
}
