using System.Text;
using System.Text.Json;
using TokenVerifier.Claims;

namespace TokenVerifier.Validation;

/// <summary>
/// Member names of headers and claims sets: the names every token carries map to constant strings, so reading them
/// costs no allocation (as <see cref="InternedStrings"/> does for values).
/// </summary>
internal static class InternedNames
{
    private static readonly string[] Names =
    [
        UserPoolClaimTypes.Issuer, UserPoolClaimTypes.Subject, UserPoolClaimTypes.Expiration, UserPoolClaimTypes.IssuedAt,
        UserPoolClaimTypes.NotBefore, UserPoolClaimTypes.TokenId, UserPoolClaimTypes.Audience, "alg", "kid", "typ",
        UserPoolClaimTypes.Scope, "email", "version", UserPoolClaimTypes.Username, UserPoolClaimTypes.EventId,
        UserPoolClaimTypes.TokenUse, UserPoolClaimTypes.ClientId, UserPoolClaimTypes.AuthTime, UserPoolClaimTypes.OriginTokenId,
        UserPoolClaimTypes.Groups, "email_verified", UserPoolClaimTypes.CognitoUsername,
    ];

    // The names' hashes as MemberNames compares them, computed once: string hashing (Marvin) of every member name of
    // every token was a measurable part of a validation. The hashes are seeded per process, hence computed at start.
    private static readonly int[] OrdinalHashes = Array.ConvertAll(Names, n => string.GetHashCode(n, StringComparison.Ordinal));
    private static readonly int[] IgnoreCaseHashes = Array.ConvertAll(Names, n => string.GetHashCode(n, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The current property name of <paramref name="reader"/>, unescaped, and its hash for <see cref="MemberNames.Add(int)"/>:
    /// <c>string.GetHashCode(name, Ordinal)</c>, or <c>OrdinalIgnoreCase</c> when <paramref name="ignoreCase"/> is set.
    /// </summary>
    public static string Read(ref Utf8JsonReader reader, bool ignoreCase, out int hash)
    {
        if (!reader.ValueIsEscaped && TryGetKnown(reader.ValueSpan, ignoreCase, out hash, out _) is { } known)
        {
            return known;
        }

        // GetString refuses bytes that are not UTF-8, which the header's reader has not checked beforehand.
        var name = reader.GetString()!;
        hash = string.GetHashCode(name, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        return name;
    }

    /// <summary>
    /// As <see cref="Read"/>, for a name without escapes given as its UTF-8 bytes (valid UTF-8, which the caller has
    /// checked): the same string for a known name, and the same hash; and which known name it is, if any.
    /// </summary>
    public static string Get(ReadOnlySpan<byte> utf8, bool ignoreCase, out int hash, out KnownName known)
    {
        if (TryGetKnown(utf8, ignoreCase, out hash, out known) is { } name)
        {
            return name;
        }

        var made = Encoding.UTF8.GetString(utf8);
        hash = string.GetHashCode(made, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        return made;
    }

    private static string? TryGetKnown(ReadOnlySpan<byte> utf8, bool ignoreCase, out int hash, out KnownName known)
    {
        known = Known(utf8);
        if (known == KnownName.None)
        {
            hash = 0;
            return null;
        }

        hash = ignoreCase ? IgnoreCaseHashes[(int)known] : OrdinalHashes[(int)known];
        return Names[(int)known];
    }

    // The name's place in Names, or None.
    private static KnownName Known(ReadOnlySpan<byte> name) => name.Length switch
    {
        3 => KnownThree(name[0] | (name[1] << 8) | (name[2] << 16)),
        5 when name.SequenceEqual("scope"u8) => KnownName.Scope,
        5 when name.SequenceEqual("email"u8) => KnownName.Email,
        7 when name.SequenceEqual("version"u8) => KnownName.Version,
        8 when name.SequenceEqual("username"u8) => KnownName.Username,
        8 when name.SequenceEqual("event_id"u8) => KnownName.EventId,
        9 when name.SequenceEqual("token_use"u8) => KnownName.TokenUse,
        9 when name.SequenceEqual("client_id"u8) => KnownName.ClientId,
        9 when name.SequenceEqual("auth_time"u8) => KnownName.AuthTime,
        10 when name.SequenceEqual("origin_jti"u8) => KnownName.OriginTokenId,
        14 when name.SequenceEqual("cognito:groups"u8) => KnownName.Groups,
        14 when name.SequenceEqual("email_verified"u8) => KnownName.EmailVerified,
        16 when name.SequenceEqual("cognito:username"u8) => KnownName.CognitoUsername,
        _ => KnownName.None,
    };

    // Half of a token's names have three letters: one switch on the three bytes, instead of comparing them with each
    // such name in turn.
    private static KnownName KnownThree(int bytes) => bytes switch
    {
        'i' | ('s' << 8) | ('s' << 16) => KnownName.Issuer,
        's' | ('u' << 8) | ('b' << 16) => KnownName.Subject,
        'e' | ('x' << 8) | ('p' << 16) => KnownName.Expiration,
        'i' | ('a' << 8) | ('t' << 16) => KnownName.IssuedAt,
        'n' | ('b' << 8) | ('f' << 16) => KnownName.NotBefore,
        'j' | ('t' << 8) | ('i' << 16) => KnownName.TokenId,
        'a' | ('u' << 8) | ('d' << 16) => KnownName.Audience,
        'a' | ('l' << 8) | ('g' << 16) => KnownName.Algorithm,
        'k' | ('i' << 8) | ('d' << 16) => KnownName.KeyId,
        't' | ('y' << 8) | ('p' << 16) => KnownName.Type,
        _ => KnownName.None,
    };
}
