using System.Buffers.Text;
using System.Collections.ObjectModel;
using System.Runtime.CompilerServices;
using System.Text.Json;
using TokenVerifier.Claims;

namespace TokenVerifier.Validation;

/// <summary>
/// Reads what <see cref="ClaimsReader"/> reads for the checks, from where <see cref="IssuerScan"/> found each top-level
/// member, instead of walking the payload again with <see cref="Utf8JsonReader"/>: the scan has already judged the
/// syntax, the depth and the UTF-8 of every byte, and walking the text a second time was half of the claims' cost.
/// Only for a payload with no escape and no object below the top level, where the reader's own checks (escapes that
/// make lone surrogates, names repeated in a nested object) have nothing to find; any other payload is left to the
/// reader. Same results as the reader in every field, which <c>ScannedClaimsTests</c> compares on generated payloads.
/// </summary>
internal static class ScannedClaims
{
    /// <summary>
    /// Reads the claims set <paramref name="json"/> (accepted by the scan) from its <paramref name="members"/>, as
    /// <see cref="ClaimsReader.TryRead(ReadOnlySpan{byte}, ParsedJwt)"/> would: false for a duplicate member name, null
    /// when the payload has an escape or a nested object, which only the reader reads.
    /// </summary>
    public static bool? TryRead(ReadOnlySpan<byte> json, ReadOnlySpan<int> members, ParsedJwt jwt)
    {
        if (json.Length < 2 || json[1..].IndexOfAny((byte)'\\', (byte)'{') >= 0)
        {
            return null;
        }

        try
        {
            // Allocated here rather than in the loop's method: a method with both a stackalloc and a loop is compiled once,
            // fully optimised but without the profile tiered compilation gathers for the others.
            return Read(json, members, jwt, stackalloc int[64]);
        }
        catch (InvalidOperationException)
        {
            // As the reader answers a value it cannot read: not a claims set.
            return false;
        }
    }

    private static bool Read(ReadOnlySpan<byte> json, ReadOnlySpan<int> members, ParsedJwt jwt, Span<int> hashes)
    {
        var names = new MemberNames(hashes);
        var token = jwt.Token;
        PayloadString subject = default, tokenId = default, originTokenId = default;
        for (var i = 0; i + IssuerScan.NumbersPerMember <= members.Length; i += IssuerScan.NumbersPerMember)
        {
            // The name without its quotes; the value as it stands.
            var name = InternedNames.Get(json[(members[i] + 1)..(members[i + 1] - 1)], ignoreCase: true, out var hash, out var known);
            if (!names.Add(hash, known))
            {
                return false;
            }

            var value = json[members[i + 2]..members[i + 3]];
            switch (known)
            {
                case KnownName.Issuer:
                    // The scan has read this very member (a payload without escapes has one "iss" exactly), and the
                    // validation has looked its value up before the signature: it stands.
                    if (value[0] != (byte)'"')
                    {
                        jwt.InvalidClaim ??= name;
                    }

                    break;
                case KnownName.TokenUse:
                    jwt.TokenUse = TokenUse(value, name, jwt);
                    break;
                case KnownName.ClientId:
                    jwt.ClientId = InternedString(value, name, jwt);
                    break;
                case KnownName.Username:
                    jwt.UsernameAt = Deferred(value, members[i + 2], name, jwt);
                    break;
                case KnownName.CognitoUsername:
                    jwt.CognitoUsernameAt = Deferred(value, members[i + 2], name, jwt);
                    break;
                case KnownName.Subject:
                    subject = Deferred(value, members[i + 2], name, jwt);
                    break;
                case KnownName.TokenId:
                    tokenId = Deferred(value, members[i + 2], name, jwt);
                    break;
                case KnownName.OriginTokenId:
                    originTokenId = Deferred(value, members[i + 2], name, jwt);
                    break;
                case KnownName.Expiration:
                    jwt.Expiration = Date(value, name, jwt);
                    break;
                case KnownName.IssuedAt:
                    jwt.IssuedAt = Date(value, name, jwt);
                    break;
                case KnownName.NotBefore:
                    jwt.NotBefore = Date(value, name, jwt);
                    break;
                case KnownName.Audience:
                    jwt.Audiences = Strings(value, name, jwt);
                    break;
                case KnownName.Groups:
                    token.Groups = Groups(value, jwt);
                    break;
                case KnownName.Scope:
                    token.Scopes = Scopes(value, jwt);
                    break;
                case KnownName.None:
                    token.HasCaseVariantName |= ClaimsReader.IsCaseVariantOfAnswered(name);
                    break;

                // A known name answered by none of the cases above is no case variant of one: it is written exactly.
                default:
                    break;
            }
        }

        token.DeferClaims(subject, tokenId, originTokenId);
        return true;
    }

    private static string? InternedString(ReadOnlySpan<byte> value, string name, ParsedJwt jwt)
    {
        if (value[0] != (byte)'"')
        {
            jwt.InvalidClaim ??= name;
            return null;
        }

        return InternedStrings.Get(value[1..^1]);
    }

    // The two values Cognito writes are the constants themselves, without a lookup in the table.
    private static string? TokenUse(ReadOnlySpan<byte> value, string name, ParsedJwt jwt) =>
        value.SequenceEqual("\"access\""u8) ? TokenUses.Access
        : value.SequenceEqual("\"id\""u8) ? TokenUses.Id
        : InternedString(value, name, jwt);

    // Per-token values (sub, jti, username) are neither interned (they would only churn the table) nor made into strings
    // here: most validations never read them, and a string made for nothing costs the signature check's next call too.
    private static PayloadString Deferred(ReadOnlySpan<byte> value, int start, string name, ParsedJwt jwt)
    {
        if (value[0] != (byte)'"')
        {
            jwt.InvalidClaim ??= name;
            return default;
        }

        return new PayloadString(start + 1, value.Length - 2);
    }

    private static NumericDate Date(ReadOnlySpan<byte> value, string name, ParsedJwt jwt)
    {
        if (!IsNumber(value[0]) || !TryGetSeconds(value, out var seconds))
        {
            jwt.InvalidClaim ??= name;
            return NumericDate.Invalid;
        }

        var date = NumericDate.Parse(seconds);
        if (date.State == NumericDateState.Invalid)
        {
            jwt.InvalidClaim ??= name;
        }

        return date;
    }

    // As the reader's TryGetInt64 parses an integer (the whole text, or not at all), and any other number exactly as its
    // TryGetDouble does, by asking it.
    private static bool TryGetSeconds(ReadOnlySpan<byte> number, out double seconds)
    {
        if (number[0] != (byte)'-' && Utf8Parser.TryParse(number, out long whole, out var consumed) && consumed == number.Length)
        {
            seconds = whole;
            return true;
        }

        return TryGetDouble(number, out seconds);
    }

    // Out of line: the reader is a large struct, and the claims loop it would be inlined into clears it on every call.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryGetDouble(ReadOnlySpan<byte> number, out double seconds)
    {
        var reader = new Utf8JsonReader(number);
        reader.Read();
        return reader.TryGetDouble(out seconds);
    }

    private static bool IsNumber(byte first) => first is (byte)'-' || char.IsAsciiDigit((char)first);

    // A string counts as a one-element list, as the reader takes it.
    private static List<string>? Strings(ReadOnlySpan<byte> value, string name, ParsedJwt jwt)
    {
        if (value[0] == (byte)'"')
        {
            return [InternedStrings.Get(value[1..^1])];
        }

        if (value[0] != (byte)'[')
        {
            jwt.InvalidClaim ??= name;
            return null;
        }

        var list = new List<string>();
        var index = JsonSyntax.SkipWhitespace(value, 1);
        if (value[index] == (byte)']')
        {
            return list;
        }

        while (true)
        {
            var start = index;
            index = JsonSyntax.SkipValue(value, index, depth: 2);
            if (index < 0)
            {
                // The scan accepted this text; a value it cannot step over again would be a fault of ours.
                throw new InvalidOperationException("A scanned array no longer reads.");
            }

            if (value[start] == (byte)'"')
            {
                list.Add(InternedStrings.Get(value[(start + 1)..(index - 1)]));
            }
            else
            {
                jwt.InvalidClaim ??= name;
            }

            index = JsonSyntax.AfterMember(value, index, (byte)']', out var closed);
            if (closed)
            {
                return list;
            }

            if (index < 0)
            {
                throw new InvalidOperationException("A scanned array no longer reads.");
            }
        }
    }

    // The reader's table of group lists, by its rules.
    private static ReadOnlyCollection<string> Groups(ReadOnlySpan<byte> value, ParsedJwt jwt)
    {
        ReadOnlySpan<byte> key = default;
        if (value[0] == (byte)'[' && ClaimsReader.KnownGroups(value, jwt, out key) is { } known)
        {
            return known;
        }

        var groups = Strings(value, UserPoolClaimTypes.Groups, jwt) is { } read ? read.AsReadOnly() : ReadOnlyCollection<string>.Empty;
        ClaimsReader.KeepGroups(key, jwt, groups);
        return groups;
    }

    private static ReadOnlyCollection<string> Scopes(ReadOnlySpan<byte> value, ParsedJwt jwt)
    {
        if (value[0] != (byte)'"')
        {
            jwt.InvalidClaim ??= UserPoolClaimTypes.Scope;
            return ReadOnlyCollection<string>.Empty;
        }

        return InternedScopes.Get(value[1..^1]);
    }
}
