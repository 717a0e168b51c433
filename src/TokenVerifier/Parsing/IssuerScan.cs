using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Unicode;

namespace TokenVerifier.Validation;

/// <summary>
/// The payload's first, cheap reading, before the issuer is checked: one JSON object in UTF-8 (syntax and depth checked
/// throughout, nothing around it) and its top-level <c>iss</c>. Nothing else is decoded and no claim is built, so a
/// forged token from a foreign issuer costs one pass of <see cref="JsonSyntax"/> (over the <see cref="QuoteMap"/> of a
/// payload written as issuers write, with no escape and no whitespace); the strict checks at every depth and the claims
/// wait until the signature has verified (<see cref="ClaimsReader"/>). Accepts exactly what one pass of
/// <see cref="Utf8JsonReader"/> accepted before (the reader still judges every escaped name and issuer, which no issuer
/// writes but an attacker may).
/// </summary>
internal static class IssuerScan
{
    /// <summary>Four numbers a member in <see cref="TryRead(ReadOnlySpan{byte}, ParsedJwt, Span{int})"/>'s record.</summary>
    public const int NumbersPerMember = 4;

    /// <summary>False when <paramref name="json"/> is not one JSON object in UTF-8, or has more than one top-level <c>iss</c>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, ParsedJwt jwt) => TryRead(json, jwt, default);

    /// <summary>
    /// As <see cref="TryRead(ReadOnlySpan{byte}, ParsedJwt)"/>, and records where each top-level member lies, so that the
    /// claims can be read after the signature without walking the text again (<see cref="ScannedClaims"/>): in
    /// <paramref name="members"/>, <see cref="NumbersPerMember"/> to a member, the start and end of its quoted name and
    /// of its value. <see cref="ParsedJwt.ScannedMembers"/> says how many were recorded; -1 when they do not all fit or a
    /// name is escaped (the reader then reads the claims).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> json, ParsedJwt jwt, Span<int> members)
    {
        // Vectorised and allocation-free: bytes that are not UTF-8 are refused with the syntax, not after the signature.
        if (!StrictJson.IsObjectText(json) || !Utf8.IsValid(json))
        {
            return false;
        }

        // Issuers write no escape and no whitespace, so a payload's strings usually end at their next quote.
        Span<ulong> quotes = stackalloc ulong[QuoteMap.Words(json.Length)];
        if (!QuoteMap.TryBuild(json, quotes))
        {
            quotes = default;
        }

        try
        {
            return TryScan(json, quotes, jwt, members);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    // quotes: the payload's QuoteMap, or empty.
    private static bool TryScan(ReadOnlySpan<byte> json, ReadOnlySpan<ulong> quotes, ParsedJwt jwt, Span<int> members)
    {
        var index = JsonSyntax.SkipWhitespace(json, 1);
        if (json[index] == (byte)'}')
        {
            jwt.ScannedMembers = members.IsEmpty ? -1 : 0;
            return index + 1 == json.Length;
        }

        // Counts numbers written; -1 once recording has stopped.
        var recorded = members.IsEmpty ? -1 : 0;
        var seen = false;
        while (true)
        {
            if ((uint)index >= (uint)json.Length || json[index] != (byte)'"')
            {
                return false;
            }

            var nameStart = index;
            index = JsonSyntax.SkipString(json, quotes, index, out var nameEscaped);
            if (index < 0)
            {
                return false;
            }

            var name = json[nameStart..index];
            index = JsonSyntax.AfterName(json, index);
            if (index < 0)
            {
                return false;
            }

            var valueStart = index;
            index = JsonSyntax.SkipValue(json, quotes, index, depth: 1);
            if (index < 0)
            {
                return false;
            }

            if (recorded >= 0)
            {
                if (nameEscaped || recorded + NumbersPerMember > members.Length)
                {
                    recorded = -1;
                }
                else
                {
                    var member = members.Slice(recorded, NumbersPerMember);
                    member[0] = nameStart;
                    member[1] = nameStart + name.Length;
                    member[2] = valueStart;
                    member[3] = index;
                    recorded += NumbersPerMember;
                }
            }

            if (IsIssuer(name, nameEscaped))
            {
                // Which of two issuers would be trusted is the kind of question a token must not raise.
                if (seen)
                {
                    return false;
                }

                seen = true;
                jwt.Issuer = json[valueStart] == (byte)'"' ? ReadString(json[valueStart..index]) : null;
            }

            index = JsonSyntax.AfterMember(json, index, (byte)'}', out var closed);
            if (index < 0)
            {
                return false;
            }

            if (closed)
            {
                jwt.ScannedMembers = recorded < 0 ? -1 : recorded / NumbersPerMember;
                return index == json.Length;
            }
        }
    }

    // name: the quoted string. As the reader's ValueTextEquals compares: an escaped name is unescaped first, so
    // "i\u0073s" is the issuer too, and one whose escapes are not valid UTF-16 throws.
    private static bool IsIssuer(ReadOnlySpan<byte> name, bool escaped) =>
        escaped ? IsEscapedIssuer(name) : name.SequenceEqual("\"iss\""u8);

    // Out of line: the reader is a large struct, and a method it is inlined into clears it for every member it scans.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool IsEscapedIssuer(ReadOnlySpan<byte> name)
    {
        var reader = new Utf8JsonReader(name);
        reader.Read();
        return reader.ValueTextEquals("iss"u8);
    }

    // quoted: the string with its quotes. Its escapes, if any, are undone by the reader, which throws on invalid UTF-16.
    private static string ReadString(ReadOnlySpan<byte> quoted)
    {
        var value = quoted[1..^1];
        return value.IndexOf((byte)'\\') < 0 ? InternedStrings.Get(value) : ReadEscaped(quoted);
    }

    // Out of line for the same reason as IsEscapedIssuer: no issuer writes an escape.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string ReadEscaped(ReadOnlySpan<byte> quoted)
    {
        var reader = new Utf8JsonReader(quoted);
        reader.Read();
        return reader.GetString()!;
    }
}
