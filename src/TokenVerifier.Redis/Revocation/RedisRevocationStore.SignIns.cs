using StackExchange.Redis;

namespace TokenVerifier.Revocation;

// Sign-ins revoked with their user: bounded per user, as the other stores bound them.
public sealed partial class RedisRevocationStore
{
    /// <inheritdoc />
    /// <remarks>
    /// The user's sign-in entries are listed in a sorted set beside the user's key, and one Lua script on that key's slot
    /// decides atomically, so sign-outs of one user racing on different instances are counted exactly. Past
    /// <see cref="RevocationStoreOptions.MaxSignInEntriesPerUser"/> the same script writes the user entry (tokens of
    /// <paramref name="subject"/> issued before now, keeping a later time already there); the listed sign-in entries are
    /// removed afterwards, as each key may live on another Cluster node. A sign-in entry written while another instance
    /// coalesces the same user may outlive the list; it then simply lives out its lifetime.
    /// </remarks>
    public async ValueTask RevokeSignInAsync(string issuer, string originTokenId, string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        ArgumentException.ThrowIfNullOrEmpty(originTokenId);
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var now = _time.GetUtcNow();
        if (RevocationRules.SignInEntryExpiry(_options, now) is not { } expires)
        {
            return;
        }

        var nowMs = now.ToUnixTimeMilliseconds();
        var pool = RevocationPool.Of(issuer);
        var user = new RevocationKey(RevocationKind.User, pool, subject);
        var writer = (await _writer.Value).GetDatabase();
        var outcome = (RedisResult[])(await writer.ScriptEvaluateAsync(
            RedisRevocationScripts.RevokeSignInOfUser,
            [_keys.SignInsOf(pool, subject), _keys.Key(user)],
            [
                originTokenId,
                nowMs,
                expires,
                _options.MaxSignInEntriesPerUser,
                (now + _options.MaxTokenLifetime).ToUnixTimeMilliseconds(),
                (long)(_options.MaxTokenLifetime + _options.ClockSkew).TotalMilliseconds,
            ]))!;
        if (outcome.Length == 0)
        {
            await SetPresentAsync(new RevocationKey(RevocationKind.SignIn, pool, originTokenId), expires - nowMs);
            return;
        }

        // The user entry is in (and, with MinReplicas, on the replicas) before the sign-in entries go out, so no token of
        // theirs is accepted in between. Answers other instances cached for those entries stay right: the user entry
        // refuses the same tokens.
        await AfterWriteAsync(user, (long)outcome[0]);
        for (var i = 1; i < outcome.Length; i++)
        {
            await writer.KeyDeleteAsync(_keys.Key(new RevocationKey(RevocationKind.SignIn, pool, (string)outcome[i]!)));
        }

        RevocationLog.SignInsCoalesced(_logger, outcome.Length);
    }
}
