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
        if (!reader.ValueIsEscaped && TryGetKnown(reader.ValueSpan, ignoreCase, out hash) is { } known)
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
    /// checked): the same string for a known name, and the same hash.
    /// </summary>
    public static string Get(ReadOnlySpan<byte> utf8, bool ignoreCase, out int hash)
    {
        if (TryGetKnown(utf8, ignoreCase, out hash) is { } known)
        {
            return known;
        }

        var name = Encoding.UTF8.GetString(utf8);
        hash = string.GetHashCode(name, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        return name;
    }

    private static string? TryGetKnown(ReadOnlySpan<byte> utf8, bool ignoreCase, out int hash)
    {
        var known = Known(utf8);
        if (known < 0)
        {
            hash = 0;
            return null;
        }

        hash = ignoreCase ? IgnoreCaseHashes[known] : OrdinalHashes[known];
        return Names[known];
    }

    // The index in Names, or -1.
    private static int Known(ReadOnlySpan<byte> name) => name.Length switch
    {
        3 when name.SequenceEqual("iss"u8) => 0,
        3 when name.SequenceEqual("sub"u8) => 1,
        3 when name.SequenceEqual("exp"u8) => 2,
        3 when name.SequenceEqual("iat"u8) => 3,
        3 when name.SequenceEqual("nbf"u8) => 4,
        3 when name.SequenceEqual("jti"u8) => 5,
        3 when name.SequenceEqual("aud"u8) => 6,
        3 when name.SequenceEqual("alg"u8) => 7,
        3 when name.SequenceEqual("kid"u8) => 8,
        3 when name.SequenceEqual("typ"u8) => 9,
        5 when name.SequenceEqual("scope"u8) => 10,
        5 when name.SequenceEqual("email"u8) => 11,
        7 when name.SequenceEqual("version"u8) => 12,
        8 when name.SequenceEqual("username"u8) => 13,
        8 when name.SequenceEqual("event_id"u8) => 14,
        9 when name.SequenceEqual("token_use"u8) => 15,
        9 when name.SequenceEqual("client_id"u8) => 16,
        9 when name.SequenceEqual("auth_time"u8) => 17,
        10 when name.SequenceEqual("origin_jti"u8) => 18,
        14 when name.SequenceEqual("cognito:groups"u8) => 19,
        14 when name.SequenceEqual("email_verified"u8) => 20,
        16 when name.SequenceEqual("cognito:username"u8) => 21,
        _ => -1,
    };
}
