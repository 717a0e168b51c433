using System.Collections.ObjectModel;
using System.Security.Claims;
using System.Text.Json;
using TokenVerifier.Claims;

namespace TokenVerifier.Validation;

// The claims that are lists: groups and audiences (a JSON array, or one string), and scopes (one space-separated string).
internal static partial class ClaimsReader
{
    // A group list whose JSON text was read before gives the read-only list it gave then: a user's groups are the same in
    // every token, and the text is compared byte for byte. A copy of the reader steps over the list to find its text and,
    // when the table knows it, stands in for the reader, so the list is stepped over once. Only a list read without
    // fault is kept.
    private static ReadOnlyCollection<string> ReadGroups(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ParsedJwt jwt, List<ClaimData>? claims)
    {
        ReadOnlySpan<byte> text = default;
        if (claims is null && reader.TokenType == JsonTokenType.StartArray && jwt.InvalidClaim is null)
        {
            var start = (int)reader.TokenStartIndex;
            var ahead = reader;
            ahead.Skip();
            text = json[start..(int)ahead.BytesConsumed];
            if (text.Length > MaxGroupListBytes)
            {
                text = default;
            }
            else if (GroupLists.TryGet(text, out var known))
            {
                reader = ahead;
                return known;
            }
        }

        var groups = ReadStrings(ref reader, UserPoolClaimTypes.Groups, jwt, claims) is { } read ? read.AsReadOnly() : ReadOnlyCollection<string>.Empty;
        if (!text.IsEmpty && jwt.InvalidClaim is null)
        {
            GroupLists.Set(text, groups);
        }

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
