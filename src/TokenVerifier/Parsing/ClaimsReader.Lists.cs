using System.Collections.ObjectModel;
using System.Security.Claims;
using System.Text.Json;
using TokenVerifier.Claims;

namespace TokenVerifier.Validation;

// The claims that are lists: groups and audiences (a JSON array, or one string), and scopes (one space-separated string).
internal static partial class ClaimsReader
{
    /// <summary>
    /// The read-only list a group list whose JSON text (<paramref name="text"/>, brackets included) was read before gave
    /// then, or null: a user's groups are the same in every token, and the text is compared byte for byte. The rules of
    /// the table for both readers: a list is looked up only while no claim has been invalid and its text is short;
    /// <paramref name="key"/> is what to keep the list under once read (<see cref="KeepGroups"/>), empty when not.
    /// </summary>
    internal static ReadOnlyCollection<string>? KnownGroups(ReadOnlySpan<byte> text, ParsedJwt jwt, out ReadOnlySpan<byte> key)
    {
        if (jwt.InvalidClaim is not null || text.Length > MaxGroupListBytes)
        {
            key = default;
            return null;
        }

        key = text;
        return GroupLists.TryGet(text, out var known) ? known : null;
    }

    /// <summary>Keeps <paramref name="groups"/> under the <paramref name="key"/> <see cref="KnownGroups"/> gave, if the list read without fault.</summary>
    internal static void KeepGroups(ReadOnlySpan<byte> key, ParsedJwt jwt, ReadOnlyCollection<string> groups)
    {
        if (!key.IsEmpty && jwt.InvalidClaim is null)
        {
            GroupLists.Set(key, groups);
        }
    }

    // A copy of the reader steps over the list to find its text and, when the table knows it, stands in for the reader,
    // so the list is stepped over once.
    private static ReadOnlyCollection<string> ReadGroups(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ParsedJwt jwt, List<ClaimData>? claims)
    {
        ReadOnlySpan<byte> key = default;
        if (claims is null && reader.TokenType == JsonTokenType.StartArray && jwt.InvalidClaim is null)
        {
            var start = (int)reader.TokenStartIndex;
            var ahead = reader;
            ahead.Skip();
            if (KnownGroups(json[start..(int)ahead.BytesConsumed], jwt, out key) is { } known)
            {
                reader = ahead;
                return known;
            }
        }

        var groups = ReadStrings(ref reader, UserPoolClaimTypes.Groups, jwt, claims) is { } read ? read.AsReadOnly() : ReadOnlyCollection<string>.Empty;
        KeepGroups(key, jwt, groups);
        return groups;
    }

    // A string counts as a one-element list, as Cognito-compatible issuers sometimes emit a single group or audience that way.
    private static List<string>? ReadStrings(ref Utf8JsonReader reader, string name, ParsedJwt jwt, List<ClaimData>? claims)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var single = InternedStrings.Get(ref reader);
            claims?.Add(new ClaimData(name, single, ClaimValueTypes.String));
            return [single];
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            jwt.InvalidClaim ??= name;
            StrictJson.Skip(ref reader);
            return null;
        }

        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                jwt.InvalidClaim ??= name;
                StrictJson.Skip(ref reader);
                continue;
            }

            var value = InternedStrings.Get(ref reader);
            list.Add(value);
            claims?.Add(new ClaimData(name, value, ClaimValueTypes.String));
        }

        return list;
    }

    private static ReadOnlyCollection<string> ReadScopes(ref Utf8JsonReader reader, ParsedJwt jwt, List<ClaimData>? claims)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            jwt.InvalidClaim ??= UserPoolClaimTypes.Scope;
            StrictJson.Skip(ref reader);
            return ReadOnlyCollection<string>.Empty;
        }

        // The UTF-8 is split where it lies, and a claim seen before gives the list it gave then.
        var scopes = reader.ValueIsEscaped
            ? Array.AsReadOnly(reader.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            : InternedScopes.Get(reader.ValueSpan);
        AddScopes(scopes, claims);
        return scopes;
    }

    private static void AddScopes(ReadOnlyCollection<string> scopes, List<ClaimData>? claims)
    {
        if (claims is null)
        {
            return;
        }

        foreach (var scope in scopes)
        {
            claims.Add(new ClaimData(UserPoolClaimTypes.Scope, scope, ClaimValueTypes.String));
        }
    }
}
