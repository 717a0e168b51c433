using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Revocation;
using TokenVerifier.Tests.Validation;

namespace TokenVerifier.Tests.Revocation;

public sealed class InMemoryRevocationStoreTests
{
    private const string Issuer = RevocationTokens.Issuer;

    private readonly FakeTimeProvider _time = new(TestPool.Start);

    private InMemoryRevocationStore Store(Action<RevocationStoreOptions>? configure = null)
    {
        var options = new RevocationStoreOptions { ClockSkew = TimeSpan.Zero };
        configure?.Invoke(options);
        return new InMemoryRevocationStore(options, _time);
    }

    [Fact]
    public async Task A_revoked_jti_revokes_that_token_only()
    {
        var store = Store();
        await store.RevokeTokenAsync(Issuer, "jti-1", _time.GetUtcNow().AddHours(1));

        Assert.True(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "jti-1", originTokenId: "o-1", subject: "s-1")));
        Assert.False(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "jti-2", originTokenId: "o-1", subject: "s-1")));
    }

    [Fact]
    public async Task A_revoked_sign_in_revokes_every_token_carrying_its_origin_jti()
    {
        var store = Store();
        await store.RevokeSignInAsync(Issuer, "origin-A");

        Assert.True(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "access", originTokenId: "origin-A")));
        Assert.True(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "id", originTokenId: "origin-A")));
        Assert.False(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "access-2", originTokenId: "origin-B")));
    }

    [Fact]
    public async Task A_user_revocation_rejects_tokens_issued_before_the_time_and_accepts_later_ones()
    {
        var store = Store();
        var signOut = _time.GetUtcNow();
        await store.RevokeUserAsync(Issuer, "sub-1", signOut);

        Assert.True(await store.IsRevokedAsync(RevocationTokens.Make(subject: "sub-1", issuedAt: signOut.AddMilliseconds(-1))));
        Assert.True(await store.IsRevokedAsync(RevocationTokens.Make(subject: "sub-1", issuedAt: signOut.AddHours(-5))));
        Assert.False(await store.IsRevokedAsync(RevocationTokens.Make(subject: "sub-1", issuedAt: signOut)));
        Assert.False(await store.IsRevokedAsync(RevocationTokens.Make(subject: "sub-2", issuedAt: signOut.AddHours(-5))));
    }

    [Fact]
    public async Task An_earlier_user_revocation_does_not_narrow_a_later_one()
    {
        var store = Store();
        var now = _time.GetUtcNow();
        await store.RevokeUserAsync(Issuer, "sub-1", now);
        await store.RevokeUserAsync(Issuer, "sub-1", now.AddMinutes(-30));

        Assert.True(await store.IsRevokedAsync(RevocationTokens.Make(subject: "sub-1", issuedAt: now.AddMinutes(-10))));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task A_token_entry_lives_until_the_token_expires_plus_the_skew()
    {
        var store = Store(o => o.ClockSkew = TimeSpan.FromSeconds(30));
        var token = RevocationTokens.Make(tokenId: "jti-1");
        await store.RevokeTokenAsync(Issuer, "jti-1", _time.GetUtcNow().AddMinutes(10));

        _time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(30) - TimeSpan.FromMilliseconds(1));
        Assert.True(await store.IsRevokedAsync(token));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(await store.IsRevokedAsync(token));
    }

    [Fact]
    public async Task Expired_entries_are_swept_so_the_store_empties()
    {
        var store = Store();
        await store.RevokeTokenAsync(Issuer, "jti-1", _time.GetUtcNow().AddMinutes(5));
        await store.RevokeSignInAsync(Issuer, "origin-1");
        Assert.Equal(2, store.Count);

        _time.Advance(TimeSpan.FromMinutes(6));
        await store.IsRevokedAsync(RevocationTokens.Make());
        Assert.Equal(1, store.Count);

        _time.Advance(TimeSpan.FromDays(1));
        await store.IsRevokedAsync(RevocationTokens.Make());
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task A_sign_in_entry_lives_one_max_token_lifetime()
    {
        var store = Store(o => o.MaxTokenLifetime = TimeSpan.FromHours(2));
        var token = RevocationTokens.Make(originTokenId: "origin-1");
        await store.RevokeSignInAsync(Issuer, "origin-1");

        _time.Advance(TimeSpan.FromHours(2) - TimeSpan.FromMilliseconds(1));
        Assert.True(await store.IsRevokedAsync(token));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(await store.IsRevokedAsync(token));
    }

    [Fact]
    public async Task A_user_entry_lives_until_the_last_token_issued_before_the_time_has_expired()
    {
        var store = Store(o => o.MaxTokenLifetime = TimeSpan.FromHours(1));
        var signOut = _time.GetUtcNow().AddMinutes(-20);
        await store.RevokeUserAsync(Issuer, "sub-1", signOut);
        var token = RevocationTokens.Make(subject: "sub-1", issuedAt: signOut.AddSeconds(-1));

        _time.Advance(TimeSpan.FromMinutes(40) - TimeSpan.FromMilliseconds(1));
        Assert.True(await store.IsRevokedAsync(token));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(await store.IsRevokedAsync(token));
    }

    [Fact]
    public async Task Revoking_a_token_that_has_already_expired_stores_nothing()
    {
        var store = Store();
        await store.RevokeTokenAsync(Issuer, "jti-old", _time.GetUtcNow().AddSeconds(-1));
        await store.RevokeUserAsync(Issuer, "sub-1", _time.GetUtcNow().AddDays(-2));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task An_unknown_expiry_is_capped_at_the_max_token_lifetime()
    {
        var store = Store(o => o.MaxTokenLifetime = TimeSpan.FromHours(1));
        await store.RevokeTokenAsync(Issuer, "jti-1", DateTimeOffset.MaxValue);

        _time.Advance(TimeSpan.FromHours(1));
        Assert.False(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "jti-1")));
    }

    [Fact]
    public async Task A_full_store_refuses_new_revocations_instead_of_dropping_old_ones()
    {
        var store = Store(o => o.MaxEntries = 2);
        await store.RevokeSignInAsync(Issuer, "origin-1");
        await store.RevokeTokenAsync(Issuer, "jti-1", _time.GetUtcNow().AddMinutes(5));

        var full = await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.RevokeSignInAsync(Issuer, "origin-2"));
        Assert.Equal("The in-memory revocation store is full (2 live entries); raise MaxEntries or use a distributed store.", full.Message);
        Assert.True(await store.IsRevokedAsync(RevocationTokens.Make(originTokenId: "origin-1")));

        // Re-revoking an entry already held needs no room.
        await store.RevokeSignInAsync(Issuer, "origin-1");

        // Once an entry expires, its room is reused.
        _time.Advance(TimeSpan.FromMinutes(5));
        await store.RevokeSignInAsync(Issuer, "origin-2");
        Assert.True(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: "x", originTokenId: "origin-2")));
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public async Task Checks_complete_synchronously()
    {
        var store = Store();
        Assert.False(Synchronously.Result(store.IsRevokedAsync(RevocationTokens.Make())));
        await store.RevokeSignInAsync(Issuer, "origin-1");
        Assert.True(Synchronously.Result(store.IsRevokedAsync(RevocationTokens.Make(originTokenId: "origin-1"))));
    }

    [Fact]
    public async Task Tokens_without_identifiers_are_not_revoked_by_anything()
    {
        var store = Store();
        await store.RevokeSignInAsync(Issuer, "origin-1");
        Assert.False(await store.IsRevokedAsync(RevocationTokens.Make(tokenId: null, originTokenId: null, subject: null)));
    }

    [Fact]
    public async Task Arguments_are_checked()
    {
        var store = Store(o => o.MaxTokenLifetime = TimeSpan.FromHours(1));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.RevokeTokenAsync(Issuer, "", _time.GetUtcNow()));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.RevokeSignInAsync(Issuer, null!));
        var tooFar = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.RevokeUserAsync(Issuer, "sub-1", _time.GetUtcNow().AddHours(2)));
        Assert.Equal("issuedBefore", tooFar.ParamName);
    }

    [Fact]
    public void Invalid_options_are_refused_with_every_problem()
    {
        var options = new RevocationStoreOptions { MaxTokenLifetime = TimeSpan.Zero, ClockSkew = TimeSpan.FromMinutes(6), LocalCacheDuration = TimeSpan.FromMinutes(2), MaxEntries = 0, KeyPrefix = "" };
        var error = Assert.Throws<ArgumentException>(() => new InMemoryRevocationStore(options, _time));
        Assert.Equal(
            "Invalid revocation store options: Revocation:MaxTokenLifetime must be positive. Revocation:ClockSkew must be between 0 and 5 minutes. "
            + "Revocation:LocalCacheDuration must be between 0 and 1 minute. Revocation:MaxEntries must be at least 1. Revocation:KeyPrefix must not be empty. (Parameter 'options')",
            error.Message);
    }
}
