using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Revocation;
using TokenVerifier.Tests.Validation;

namespace TokenVerifier.Tests.Revocation;

/// <summary>
/// Two pools may issue the same <c>jti</c>, <c>origin_jti</c> or <c>sub</c> (they are unique only within a pool): a
/// revocation in one pool must leave the other pool's tokens alone, in every store. The distributed store is asked from a
/// second instance over the same cache, as another API instance would. The Redis-native store's cases are in the
/// integration tests, against a real redis-server.
/// </summary>
public sealed class CrossPoolRevocationTests
{
    private const string PoolA = RevocationTokens.Issuer;
    private const string PoolB = RevocationTokens.OtherIssuer;

    private readonly FakeTimeProvider _time = new(TestPool.Start);
    private readonly MemoryDistributedCache _shared = new(Options.Create(new MemoryDistributedCacheOptions()));

    public static TheoryData<string> Stores() => ["in-memory", "distributed"];

    // The store that records revocations, and the one asked about tokens (another instance for the distributed store).
    private (IRevocationStore Revoking, IRevocationStore Asked) Make(string kind)
    {
        var options = new RevocationStoreOptions { ClockSkew = TimeSpan.Zero, MaxSignInEntriesPerUser = 2 };
        if (kind == "in-memory")
        {
            var store = new InMemoryRevocationStore(options, _time);
            return (store, store);
        }

        IDistributedCache cache = _shared;
        return (new DistributedCacheRevocationStore(cache, options, _time), new DistributedCacheRevocationStore(cache, options, _time));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_same_jti_revoked_in_one_pool_is_not_revoked_in_another(string kind)
    {
        var (revoking, asked) = Make(kind);
        await revoking.RevokeTokenAsync(PoolA, "same-jti", _time.GetUtcNow().AddHours(1));

        Assert.True(await asked.IsRevokedAsync(RevocationTokens.Make(tokenId: "same-jti", issuer: PoolA)));
        Assert.False(await asked.IsRevokedAsync(RevocationTokens.Make(tokenId: "same-jti", issuer: PoolB)));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_same_origin_jti_revoked_in_one_pool_is_not_revoked_in_another(string kind)
    {
        var (revoking, asked) = Make(kind);
        await revoking.RevokeSignInAsync(PoolA, "same-origin");
        await revoking.RevokeSignInAsync(PoolA, "same-origin-with-sub", "sub-1");

        Assert.True(await asked.IsRevokedAsync(RevocationTokens.Make(originTokenId: "same-origin", issuer: PoolA)));
        Assert.True(await asked.IsRevokedAsync(RevocationTokens.Make(originTokenId: "same-origin-with-sub", issuer: PoolA)));
        Assert.False(await asked.IsRevokedAsync(RevocationTokens.Make(originTokenId: "same-origin", issuer: PoolB)));
        Assert.False(await asked.IsRevokedAsync(RevocationTokens.Make(originTokenId: "same-origin-with-sub", issuer: PoolB)));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_same_sub_revoked_in_one_pool_is_not_revoked_in_another(string kind)
    {
        var (revoking, asked) = Make(kind);
        var issuedAt = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(1));
        await revoking.RevokeUserAsync(PoolA, "same-sub", _time.GetUtcNow());

        Assert.True(await asked.IsRevokedAsync(RevocationTokens.Make(subject: "same-sub", issuedAt: issuedAt, issuer: PoolA)));
        Assert.False(await asked.IsRevokedAsync(RevocationTokens.Make(subject: "same-sub", issuedAt: issuedAt, issuer: PoolB)));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_users_sign_ins_are_counted_and_coalesced_within_their_pool(string kind)
    {
        var (revoking, asked) = Make(kind);
        var issuedAt = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(1));

        // Past MaxSignInEntriesPerUser (2) pool A's sign-ins of "sub-1" become a user entry of pool A's "sub-1" only.
        await revoking.RevokeSignInAsync(PoolB, "b-origin-1", "sub-1");
        for (var i = 0; i < 3; i++)
        {
            await revoking.RevokeSignInAsync(PoolA, $"a-origin-{i}", "sub-1");
        }

        Assert.True(await asked.IsRevokedAsync(RevocationTokens.Make(tokenId: "a-other", originTokenId: "a-other-origin", subject: "sub-1", issuedAt: issuedAt, issuer: PoolA)));
        Assert.False(await asked.IsRevokedAsync(RevocationTokens.Make(tokenId: "b-other", originTokenId: "b-other-origin", subject: "sub-1", issuedAt: issuedAt, issuer: PoolB)));
        Assert.True(await asked.IsRevokedAsync(RevocationTokens.Make(tokenId: "b-1", originTokenId: "b-origin-1", subject: "sub-1", issuedAt: issuedAt, issuer: PoolB)));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Both_Cognito_issuer_forms_of_one_pool_name_the_same_pool(string kind)
    {
        // One pool publishes tokens under either form (the updated one is required for multi-Region replication), so a
        // user signed out with one form must be refused with the other.
        const string original = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Forms";
        const string updated = "https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Forms";
        var (revoking, asked) = Make(kind);
        var issuedAt = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(1));
        await revoking.RevokeUserAsync(updated, "forms-sub", _time.GetUtcNow());
        await revoking.RevokeTokenAsync(original, "forms-jti", _time.GetUtcNow().AddHours(1));

        Assert.True(await asked.IsRevokedAsync(RevocationTokens.Make(subject: "forms-sub", issuedAt: issuedAt, issuer: original)));
        Assert.True(await asked.IsRevokedAsync(RevocationTokens.Make(tokenId: "forms-jti", issuer: updated)));
        Assert.False(await asked.IsRevokedAsync(RevocationTokens.Make(tokenId: "forms-jti", subject: "forms-sub", issuedAt: issuedAt, issuer: PoolA)));
    }

    [Fact]
    public async Task Every_method_refuses_a_missing_issuer()
    {
        var (store, _) = Make("in-memory");
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.RevokeTokenAsync("", "jti", _time.GetUtcNow()));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.RevokeSignInAsync(null!, "origin"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.RevokeSignInAsync("", "origin", "sub"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.RevokeUserAsync("", "sub", _time.GetUtcNow()));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.IsRevokedAsync(RevocationTokens.Make(issuer: "")));
    }
}
