using StackExchange.Redis;

namespace TokenVerifier.Revocation;

/// <summary>
/// Names every key and message of <see cref="RedisRevocationStore"/>, and nothing else does. A key is
/// <c>{prefix}{kind}:{{id}}</c>: the braces are a Cluster hash tag, so each key hashes on its own token or user part and
/// the store never runs a command over two keys. When the keys gain the issuer (two pools' <c>jti</c>/<c>sub</c> must not
/// collide), it goes into <see cref="Key"/> and <see cref="Message"/> here, inside the tag, and nowhere else.
/// </summary>
internal sealed class RedisRevocationKeys(string prefix)
{
    public RedisChannel Channel { get; } = RedisChannel.Literal(prefix + "invalidate");

    public RedisKey Probe { get; } = prefix + "health-probe";

    public RedisKey Key(RevocationKind kind, string id) => string.Concat(prefix, Tag(kind), ":{", id, "}");

    /// <summary>What every instance receives when <paramref name="kind"/> <paramref name="id"/> is revoked: the kind's letter, then the id.</summary>
    public static RedisValue Message(RevocationKind kind, string id) => string.Concat(Letter(kind), id);

    /// <summary>The entry a message names; false for a message this version does not understand.</summary>
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
        if (kind is null)
        {
            return false;
        }

        key = new RevocationKey(kind.Value, message[1..]);
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
