using StackExchange.Redis;

namespace TokenVerifier.Revocation;

/// <summary>
/// Names every key and message of <see cref="RedisRevocationStore"/>, and nothing else does. A key is
/// <c>{prefix}{kind}:{{pool}:{id}}</c>, the pool being the issuer's digest (<see cref="RevocationPool"/>): the braces are a
/// Cluster hash tag around the pool and the token or user part, so each key hashes on its own token or user (not on the
/// prefix or the pool, which would put every key of a pool on one node) and the store never runs a command over two slots
/// (a user's list of sign-ins shares the user key's tag).
/// A message names the same entry: the kind's letter, the pool, <c>:</c>, the id.
/// </summary>
internal sealed class RedisRevocationKeys(string prefix)
{
    public RedisChannel Channel { get; } = RedisChannel.Literal(prefix + "invalidate");

    public RedisKey Probe { get; } = prefix + "health-probe";

    public RedisKey Key(RevocationKey key) => string.Concat(prefix, Tag(key.Kind), ":{", key.Pool, ":", key.Id, "}");

    /// <summary>
    /// The list of a user's sign-in entries (<see cref="RedisRevocationScripts.RevokeSignInOfUser"/>): the same hash tag as
    /// the user's key, so the script that reads the one and writes the other touches one slot.
    /// </summary>
    public RedisKey SignInsOf(string pool, string subject) => string.Concat(prefix, "signins-of-sub:{", pool, ":", subject, "}");

    /// <summary>What every instance receives when <paramref name="key"/> is revoked.</summary>
    public static RedisValue Message(RevocationKey key) => string.Concat(Letter(key.Kind), key.Pool, ":", key.Id);

    /// <summary>The entry a message names; false for a message this version does not understand (such as one without a pool).</summary>
    public static bool TryRead(string? message, out RevocationKey key)
    {
        key = default;
        if (message is not { Length: > 1 })
        {
            return false;
        }

        RevocationKind? kind = message[0] switch
        {
            't' => RevocationKind.Token,
            's' => RevocationKind.SignIn,
            'u' => RevocationKind.User,
            _ => null,
        };

        // The pool is a digest without ':', so the first ':' ends it; the id may hold anything.
        var colon = message.IndexOf(':', 1);
        if (kind is null || colon <= 1 || colon == message.Length - 1)
        {
            return false;
        }

        key = new RevocationKey(kind.Value, message[1..colon], message[(colon + 1)..]);
        return true;
    }

    private static string Tag(RevocationKind kind) => kind switch
    {
        RevocationKind.Token => "jti",
        RevocationKind.SignIn => "origin_jti",
        _ => "sub",
    };

    private static string Letter(RevocationKind kind) => kind switch
    {
        RevocationKind.Token => "t",
        RevocationKind.SignIn => "s",
        _ => "u",
    };
}
