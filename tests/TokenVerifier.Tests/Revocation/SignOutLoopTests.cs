using System.Diagnostics.Metrics;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Diagnostics;
using TokenVerifier.Revocation;
using TokenVerifier.Tests.Validation;

namespace TokenVerifier.Tests.Revocation;

/// <summary>
/// One account signing in and out in a loop must not fill a store (and so turn everyone's sign-out into an error for a
/// day): sign-in entries are bounded per user and coalesced into one user entry that refuses the same tokens.
/// </summary>
public sealed class SignOutLoopTests : IDisposable
{
    private const string Issuer = RevocationTokens.Issuer;

    private const int PerUser = 5;

    private readonly FakeTimeProvider _time = new(TestPool.Start);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    private static RevocationStoreOptions Options(int maxEntries = 100) => new() { ClockSkew = TimeSpan.Zero, MaxEntries = maxEntries, MaxSignInEntriesPerUser = PerUser };

    [Fact]
    public async Task One_user_signing_in_and_out_in_a_loop_cannot_fill_the_in_memory_store()
    {
        var store = new InMemoryRevocationStore(Options(maxEntries: 100), _time);

        for (var i = 0; i < 10_000; i++)
        {
            await store.RevokeSignInAsync(Issuer, $"loop-{i}", "sub-loop");
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.InRange(store.Count, 1, PerUser + 1);
        await store.RevokeSignInAsync(Issuer, "other-origin", "sub-other");
        Assert.True(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "t", originTokenId: "other-origin", subject: "sub-other")));
    }

    [Fact]
    public async Task Other_users_sign_outs_still_succeed_while_one_user_loops()
    {
        var store = new InMemoryRevocationStore(Options(maxEntries: 50), _time);

        // Forty other users sign out once each, interleaved with a loop of one user that would need thousands of entries.
        for (var i = 0; i < 4_000; i++)
        {
            await store.RevokeSignInAsync(Issuer, $"loop-{i}", "sub-loop");
            if (i % 100 == 0)
            {
                await store.RevokeSignInAsync(Issuer, $"origin-{i}", $"sub-{i}");
            }

            _time.Advance(TimeSpan.FromSeconds(1));
        }

        for (var i = 0; i < 4_000; i += 100)
        {
            Assert.True(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "t", originTokenId: $"origin-{i}", subject: $"sub-{i}", issuedAt: TestPool.Start)));
        }
    }

    [Fact]
    public async Task The_coalesced_entry_refuses_the_same_tokens_and_accepts_the_next_sign_in()
    {
        var store = new InMemoryRevocationStore(Options(), _time);
        var tokens = new List<IssuedToken>();
        for (var i = 0; i <= PerUser; i++)
        {
            // Each sign-in's token is issued, used for a while, then its sign-in is revoked.
            tokens.Add(new($"origin-{i}", _time.GetUtcNow()));
            _time.Advance(TimeSpan.FromMinutes(3));
            await store.RevokeSignInAsync(Issuer, $"origin-{i}", "sub-1");
        }

        Assert.Equal(1, store.Count);
        foreach (var token in tokens)
        {
            Assert.True(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "t", originTokenId: token.Origin, subject: "sub-1", issuedAt: token.IssuedAt)));
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "t", originTokenId: "origin-new", subject: "sub-1", issuedAt: _time.GetUtcNow())));
        Assert.False(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "t", originTokenId: "origin-x", subject: "sub-2", issuedAt: TestPool.Start)));

        // The user entry lives as long as the sign-in entries it replaced would have.
        _time.Advance(new RevocationStoreOptions().MaxTokenLifetime - TimeSpan.FromSeconds(2));
        Assert.True(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "t", originTokenId: tokens[^1].Origin, subject: "sub-1", issuedAt: tokens[^1].IssuedAt)));
    }

    [Fact]
    public async Task A_full_store_coalesces_a_users_entries_rather_than_refusing_that_users_sign_out()
    {
        var store = new InMemoryRevocationStore(Options(maxEntries: 3), _time);
        await store.RevokeSignInAsync(Issuer, "a-1", "sub-a");
        await store.RevokeSignInAsync(Issuer, "b-1", "sub-b");
        await store.RevokeTokenAsync(Issuer, "jti-1", _time.GetUtcNow().AddHours(1));

        await store.RevokeSignInAsync(Issuer, "a-2", "sub-a");

        Assert.True(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "t", originTokenId: "a-1", subject: "sub-a", issuedAt: TestPool.Start.AddSeconds(-1))));
        Assert.True(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "t", originTokenId: "a-2", subject: "sub-a", issuedAt: TestPool.Start.AddSeconds(-1))));
        Assert.Equal(3, store.Count);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.RevokeSignInAsync(Issuer, "c-1", "sub-c"));
    }

    [Fact]
    public async Task The_store_warns_once_in_the_log_and_the_metrics_at_80_percent_of_capacity()
    {
        using var logs = new FakeLoggerProvider();
        using var factory = new LoggerFactory([logs]);
        using var metrics = new TokenVerifierMetrics(_services.GetRequiredService<IMeterFactory>(), _time);
        using var warnings = new MetricCollector<long>(_services.GetRequiredService<IMeterFactory>(), TokenVerifierMetrics.MeterName, "tokenverifier.revocation.store.near_capacity");
        var store = new InMemoryRevocationStore(Options(maxEntries: 10), _time, factory.CreateLogger("store"), metrics);

        for (var i = 0; i < 7; i++)
        {
            await store.RevokeTokenAsync(Issuer, $"jti-{i}", _time.GetUtcNow().AddMinutes(10));
        }

        Assert.Empty(logs.Collector.GetSnapshot());
        Assert.Empty(warnings.GetMeasurementSnapshot());

        await store.RevokeTokenAsync(Issuer, "jti-7", _time.GetUtcNow().AddMinutes(10));
        await store.RevokeTokenAsync(Issuer, "jti-8", _time.GetUtcNow().AddMinutes(10));

        var warning = Assert.Single(logs.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(6004, warning.Id.Id);
        Assert.Contains("8 of 10 entries", warning.Message, StringComparison.Ordinal);
        Assert.Equal(1, Assert.Single(warnings.GetMeasurementSnapshot()).Value);

        // Once drained below the mark, the next fill warns again.
        _time.Advance(TimeSpan.FromMinutes(11));
        Assert.False(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "jti-0")));
        for (var i = 0; i < 8; i++)
        {
            await store.RevokeTokenAsync(Issuer, $"again-{i}", _time.GetUtcNow().AddMinutes(10));
        }

        Assert.Equal(2, logs.Collector.GetSnapshot().Count);
        Assert.Equal(2, warnings.GetMeasurementSnapshot().Count);
    }

    [Fact]
    public async Task One_user_signing_in_and_out_in_a_loop_holds_a_bounded_number_of_keys_in_a_distributed_store()
    {
        var cache = new CountingDistributedCache(new MemoryDistributedCache(Microsoft.Extensions.Options.Options.Create(new MemoryDistributedCacheOptions())));
        var store = new DistributedCacheRevocationStore(cache, Options(), _time);
        var tokens = new List<IssuedToken>();

        for (var i = 0; i < 1_000; i++)
        {
            tokens.Add(new($"loop-{i}", _time.GetUtcNow()));
            _time.Advance(TimeSpan.FromSeconds(1));
            await store.RevokeSignInAsync(Issuer, $"loop-{i}", "sub-loop");
        }

        // The user's sign-in keys, the list of them and the user key.
        Assert.InRange(cache.Held.Count, 1, PerUser + 2);
        var other = new DistributedCacheRevocationStore(cache, Options(), _time);
        foreach (var token in tokens)
        {
            Assert.True(await other.IsRevokedAsync(RevocationTokens.Make(tokenId: "t", originTokenId: token.Origin, subject: "sub-loop", issuedAt: token.IssuedAt)));
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await other.IsRevokedAsync(RevocationTokens.Make(tokenId: "t", originTokenId: "fresh", subject: "sub-loop", issuedAt: _time.GetUtcNow())));
    }

    [Fact]
    public async Task An_unreadable_list_of_sign_ins_only_loses_the_bound_never_a_revocation()
    {
        var cache = new MemoryDistributedCache(Microsoft.Extensions.Options.Options.Create(new MemoryDistributedCacheOptions()));
        await cache.SetAsync("tokenverifier:revoked:signins-of-sub:HhYmwqp102nQQ3mo:sub-1", [1, 2, 3], new DistributedCacheEntryOptions());
        var store = new DistributedCacheRevocationStore(cache, Options(), _time);

        await store.RevokeSignInAsync(Issuer, "origin-1", "sub-1");

        Assert.True(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "t", originTokenId: "origin-1", subject: "sub-1")));
    }

    private sealed record IssuedToken(string Origin, DateTimeOffset IssuedAt);
}
