using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Revocation;
using TokenVerifier.Tests.Validation;

namespace TokenVerifier.Tests.Revocation;

/// <summary>
/// The distributed store's logic over a real in-process distributed cache: keys, entry lifetimes, the local answer cache
/// and how two instances sharing one cache see each other's revocations. The same store against real Redis is in the
/// integration tests.
/// </summary>
public sealed class DistributedCacheRevocationStoreTests
{
    private const string Issuer = RevocationTokens.Issuer;

    // SHA-256 of Issuer, first 12 bytes in base64url: written out so a change of the key layout fails here.
    private const string Pool = "HhYmwqp102nQQ3mo";

    private readonly FakeTimeProvider _time = new(TestPool.Start);
    private readonly MemoryDistributedCache _shared = new(Options.Create(new MemoryDistributedCacheOptions()));
    private readonly CountingDistributedCache _cache;

    public DistributedCacheRevocationStoreTests()
    {
        _cache = new CountingDistributedCache(_shared);
    }

    private DistributedCacheRevocationStore Instance(TimeSpan? localCache = null, IDistributedCache? cache = null) =>
        new(cache ?? _cache, new RevocationStoreOptions { ClockSkew = TimeSpan.FromSeconds(30), LocalCacheDuration = localCache ?? TimeSpan.FromSeconds(1) }, _time);

    [Fact]
    public async Task Each_kind_of_revocation_is_found()
    {
        var store = Instance(TimeSpan.Zero);
        var now = _time.GetUtcNow();
        await store.RevokeTokenAsync(Issuer, "jti-1", now.AddHours(1));
        await store.RevokeSignInAsync(Issuer, "origin-1");
        await store.RevokeUserAsync(Issuer, "sub-1", now);

        Assert.True(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "jti-1", originTokenId: "o", subject: "s")));
        Assert.True(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "j", originTokenId: "origin-1", subject: "s")));
        Assert.True(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "j", originTokenId: "o", subject: "sub-1", issuedAt: now.AddSeconds(-1))));
        Assert.False(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "j", originTokenId: "o", subject: "sub-1", issuedAt: now)));
        Assert.False(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "j", originTokenId: "o", subject: "s")));
    }

    [Fact]
    public async Task Entries_are_written_with_the_lifetime_of_the_longest_token_they_can_affect()
    {
        var store = Instance();
        var now = _time.GetUtcNow();
        await store.RevokeTokenAsync(Issuer, "jti-1", now.AddMinutes(10));
        await store.RevokeSignInAsync(Issuer, "origin-1");
        await store.RevokeUserAsync(Issuer, "sub-1", now.AddMinutes(-20));
        await store.RevokeTokenAsync(Issuer, "jti-gone", now.AddSeconds(-31));
        await store.RevokeTokenAsync(Issuer, "jti-2", now.AddMilliseconds(10_200));

        Assert.Equal(
            [
                ("tokenverifier:revoked:jti:" + Pool + ":jti-1", TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(30)),
                ("tokenverifier:revoked:origin_jti:" + Pool + ":origin-1", TimeSpan.FromDays(1) + TimeSpan.FromSeconds(30)),
                ("tokenverifier:revoked:sub:" + Pool + ":sub-1", TimeSpan.FromDays(1) - TimeSpan.FromMinutes(20) + TimeSpan.FromSeconds(30)),

                // Rounded up to whole seconds: Redis truncates, which would end the entry before the token.
                ("tokenverifier:revoked:jti:" + Pool + ":jti-2", TimeSpan.FromSeconds(41)),
            ],
            _cache.Writes);
    }

    [Fact]
    public async Task Answers_are_reused_for_the_local_cache_window_then_asked_again()
    {
        var store = Instance(TimeSpan.FromSeconds(1));
        var token = RevocationTokens.Make();

        Assert.False(await store.IsRevokedAsync(token));
        Assert.Equal(3, _cache.Reads);
        for (var i = 0; i < 100; i++)
        {
            Assert.False(Synchronously.Result(store.IsRevokedAsync(token)));
        }

        Assert.Equal(3, _cache.Reads);
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(Synchronously.Result(store.IsRevokedAsync(token)));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(await store.IsRevokedAsync(token));
        Assert.Equal(6, _cache.Reads);
    }

    [Fact]
    public async Task Without_a_local_cache_every_check_reads_the_shared_cache()
    {
        var store = Instance(TimeSpan.Zero);
        for (var i = 0; i < 10; i++)
        {
            Assert.False(await store.IsRevokedAsync(RevocationTokens.Make()));
        }

        Assert.Equal(30, _cache.Reads);
    }

    [Fact]
    public async Task Answers_are_shared_between_tokens_of_one_sign_in_and_one_user()
    {
        var store = Instance();
        Assert.False(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "access")));
        Assert.False(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "id")));
        Assert.Equal(4, _cache.Reads);
    }

    [Fact]
    public async Task A_revocation_on_this_instance_applies_at_once_despite_a_cached_answer()
    {
        var store = Instance(TimeSpan.FromSeconds(1));
        var token = RevocationTokens.Make(originTokenId: "origin-1");
        Assert.False(await store.IsRevokedAsync(token));

        await store.RevokeSignInAsync(Issuer, "origin-1");
        Assert.True(Synchronously.Result(store.IsRevokedAsync(token)));
    }

    [Fact]
    public async Task A_revocation_on_another_instance_applies_here_once_the_local_window_has_passed()
    {
        var a = Instance(TimeSpan.FromSeconds(1));
        var b = Instance(TimeSpan.FromSeconds(1));
        var token = RevocationTokens.Make(originTokenId: "origin-1");
        Assert.False(await b.IsRevokedAsync(token));

        await a.RevokeSignInAsync(Issuer, "origin-1");
        Assert.True(await a.IsRevokedAsync(token));
        Assert.False(await b.IsRevokedAsync(token));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await b.IsRevokedAsync(token));
    }

    [Fact]
    public async Task A_user_revocation_keeps_the_later_time_across_instances()
    {
        var a = Instance(TimeSpan.Zero);
        var b = Instance(TimeSpan.Zero);
        var now = _time.GetUtcNow();
        await a.RevokeUserAsync(Issuer, "sub-1", now);
        await b.RevokeUserAsync(Issuer, "sub-1", now.AddMinutes(-30));

        Assert.True(await b.IsRevokedAsync(RevocationTokens.Make(subject: "sub-1", issuedAt: now.AddMinutes(-10))));
        Assert.Equal(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(30), _cache.Writes[^1].Lifetime);
    }

    [Fact]
    public async Task An_entry_this_store_did_not_write_counts_as_revoked()
    {
        var store = Instance(TimeSpan.Zero);
        await _shared.SetAsync("tokenverifier:revoked:sub:" + Pool + ":sub-1", [1, 2, 3], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1) });
        Assert.True(await store.IsRevokedAsync(RevocationTokens.Make(subject: "sub-1")));
    }

    [Fact]
    public async Task The_local_cache_is_bounded()
    {
        var store = new DistributedCacheRevocationStore(_cache, new RevocationStoreOptions { MaxEntries = 10 }, _time);
        for (var i = 0; i < 30; i++)
        {
            Assert.False(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: $"jti-{i}", originTokenId: $"o-{i}", subject: $"s-{i}")));
            Assert.InRange(store.LocalCount, 0, 10);
        }
    }
}
