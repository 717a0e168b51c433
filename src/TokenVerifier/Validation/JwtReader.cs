using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using TokenVerifier.Claims;

namespace TokenVerifier.Validation;

/// <summary>
/// Parses a compact JWS strictly: three non-empty canonical base64url segments, header and payload single JSON objects
/// without duplicate members. Reads values but decides nothing about trust.
/// </summary>
internal static class JwtReader
{
    private const int MaxJsonDepth = 16;
    private const string JsonValueType = "JSON";

    private const string Base64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    // The value of each base64url character (-1: not base64url), for the canonical-encoding check.
    private static readonly sbyte[] Base64UrlValues = BuildBase64UrlValues();
    private static readonly SearchValues<char> Base64UrlOrDot = SearchValues.Create(Base64UrlAlphabet + ".");

    [ThreadStatic]
    private static List<ClaimData>? t_claims;

    // readPayload is false only for JWS test vectors, whose payloads are arbitrary bytes (even none) rather than a claims
    // set: the payload segment is then checked as canonical base64url but not decoded.
    public static TokenFailure TryRead(string? token, int maxLength, out ParsedJwt? jwt, out string? error, bool readPayload = true)
    {
        jwt = null;
        if (string.IsNullOrEmpty(token))
        {
            error = "The token is empty.";
            return TokenFailure.Malformed;
        }

        if (token.Length > maxLength)
        {
            error = $"The token is longer than {maxLength} characters.";
            return TokenFailure.TooLarge;
        }

        // Vectorised: a character-by-character loop over a ~1 KB token cost a microsecond, 4% of the RSA verification.
        var chars = token.AsSpan();
        if (chars.ContainsAnyExcept(Base64UrlOrDot))
        {
            error = "The token contains a character that is not base64url (padding, whitespace, '+' and '/' are not allowed).";
            return TokenFailure.Malformed;
        }

        var dots = chars.Count('.');
        if (dots != 2)
        {
            error = dots == 4
                ? "The token has five segments (an encrypted JWE); only signed tokens are accepted."
                : "The token does not have exactly three segments.";
            return TokenFailure.Malformed;
        }

        var firstDot = chars.IndexOf('.');
        var secondDot = firstDot + 1 + chars[(firstDot + 1)..].IndexOf('.');
        var header = token.AsSpan(0, firstDot);
        var payload = token.AsSpan(firstDot + 1, secondDot - firstDot - 1);
        var signature = token.AsSpan(secondDot + 1);
        // An empty signature is read, so that an unsigned "alg: none" token is reported as the algorithm it claims;
        // it can never verify.
        if (header.IsEmpty || (payload.IsEmpty && readPayload))
        {
            error = "The token has an empty header or payload segment.";
            return TokenFailure.Malformed;
        }

        if (!IsCanonical(header) || (!payload.IsEmpty && !IsCanonical(payload)) || (!signature.IsEmpty && !IsCanonical(signature)))
        {
            error = "The token has a segment that is not canonical base64url.";
            return TokenFailure.Malformed;
        }

        var parsed = new ParsedJwt { SignedLength = secondDot };
        var buffer = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(Math.Max(header.Length, payload.Length)));
        try
        {
            var written = Base64Url.DecodeFromChars(header, buffer);
            if (!TryReadHeader(buffer.AsSpan(0, written), parsed))
            {
                error = "The token header is not a single JSON object with unique members.";
                return TokenFailure.Malformed;
            }

            written = readPayload ? Base64Url.DecodeFromChars(payload, buffer) : 0;
            if (readPayload && !TryReadPayload(buffer.AsSpan(0, written), parsed))
            {
                error = "The token payload is not a single JSON object with unique members.";
                return TokenFailure.Malformed;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        jwt = parsed;
        error = null;
        return TokenFailure.None;
    }

    /// <summary>Decodes the signature segment; false when it is not canonical or does not fit.</summary>
    public static bool TryDecodeSignature(ReadOnlySpan<char> segment, Span<byte> destination, out int written)
    {
        written = 0;
        return !segment.IsEmpty
            && Base64Url.GetMaxDecodedLength(segment.Length) <= destination.Length
            && Base64Url.TryDecodeFromChars(segment, destination, out written);
    }

    // A non-canonical encoding has unused low bits set in its last character; two strings must not decode to one token.
    private static bool IsCanonical(ReadOnlySpan<char> segment)
    {
        var last = Base64UrlValues[segment[^1]];
        return (segment.Length % 4) switch
        {
            1 => false,
            2 => (last & 0x0F) == 0,
            3 => (last & 0x03) == 0,
            _ => true,
        };
    }

    private static bool TryReadHeader(ReadOnlySpan<byte> json, ParsedJwt jwt)
    {
        // JSON must be UTF-8. The reader does not validate text it skips or copies raw, and a parser that repairs bad
        // bytes differently would read a different token.
        if (!IsJsonObjectStart(json) || !Utf8.IsValid(json))
        {
            return false;
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxJsonDepth });
        var members = new MemberNames(stackalloc int[32]);
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = ReadName(ref reader);
                if (!members.Add(name))
                {
                    return false;
                }

                reader.Read();
                switch (name)
                {
                    case "alg":
                        jwt.AlgorithmIsString = reader.TokenType == JsonTokenType.String;
                        jwt.Algorithm = jwt.AlgorithmIsString ? InternedStrings.Get(ref reader) : null;

                        // An array or object value must be stepped over whole, or its members would be read as the header's.
                        reader.Skip();
                        break;
                    case "kid":
                        jwt.KeyId = reader.TokenType == JsonTokenType.String ? InternedStrings.Get(ref reader) : null;
                        reader.Skip();
                        break;
                    case "crit":
                        jwt.HasCritical = true;
                        reader.Skip();
                        break;
                    default:
                        // jku, x5u, jwk, x5c and the rest are never used: keys come only from the configured pool.
                        reader.Skip();
                        break;
                }
            }

            return AtEndOfSingleObject(ref reader);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryReadPayload(ReadOnlySpan<byte> json, ParsedJwt jwt)
    {
        if (!IsJsonObjectStart(json) || !Utf8.IsValid(json))
        {
            return false;
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxJsonDepth });
        var members = new MemberNames(stackalloc int[64]);
        var token = jwt.Token;

        // Claims collect in a per-thread list and leave as an array of the exact size: a list sized for the largest
        // token would carry its slack in every cached token.
        var claims = t_claims ?? new List<ClaimData>(32);
        t_claims = null;
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = ReadName(ref reader);
                if (!members.Add(name))
                {
                    return false;
                }

                reader.Read();
                switch (name)
                {
                    case UserPoolClaimTypes.Issuer:
                        jwt.Issuer = ReadKnownString(ref reader, name, jwt, claims);
                        break;
                    case UserPoolClaimTypes.TokenUse:
                        jwt.TokenUse = ReadKnownString(ref reader, name, jwt, claims);
                        break;
                    case UserPoolClaimTypes.ClientId:
                        jwt.ClientId = ReadKnownString(ref reader, name, jwt, claims);
                        break;
                    case UserPoolClaimTypes.Username:
                        jwt.Username = ReadKnownString(ref reader, name, jwt, claims);
                        break;
                    case UserPoolClaimTypes.CognitoUsername:
                        jwt.CognitoUsername = ReadKnownString(ref reader, name, jwt, claims);
                        break;
                    case UserPoolClaimTypes.Subject:
                        token.Subject = ReadKnownString(ref reader, name, jwt, claims);
                        break;
                    case UserPoolClaimTypes.TokenId:
                        token.TokenId = ReadKnownString(ref reader, name, jwt, claims);
                        break;
                    case UserPoolClaimTypes.OriginTokenId:
                        token.OriginTokenId = ReadKnownString(ref reader, name, jwt, claims);
                        break;
                    case UserPoolClaimTypes.Expiration:
                        jwt.Expiration = ReadNumericDate(ref reader, name, jwt, claims);
                        break;
                    case UserPoolClaimTypes.IssuedAt:
                        jwt.IssuedAt = ReadNumericDate(ref reader, name, jwt, claims);
                        break;
                    case UserPoolClaimTypes.NotBefore:
                        jwt.NotBefore = ReadNumericDate(ref reader, name, jwt, claims);
                        break;
                    case UserPoolClaimTypes.Audience:
                        jwt.Audiences = ReadStrings(ref reader, name, jwt, claims);
                        break;
                    case UserPoolClaimTypes.Groups:
                        token.Groups = (IReadOnlyList<string>?)ReadStrings(ref reader, name, jwt, claims) ?? [];
                        break;
                    case UserPoolClaimTypes.Scope:
                        token.Scopes = ReadScopes(ref reader, jwt, claims);
                        break;
                    default:
                        AddClaims(ref reader, name, json, claims);
                        break;
                }
            }

            if (!AtEndOfSingleObject(ref reader))
            {
                return false;
            }

            token.Claims = [.. claims];
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
        finally
        {
            claims.Clear();
            t_claims = claims;
        }
    }

    private static string? ReadKnownString(ref Utf8JsonReader reader, string name, ParsedJwt jwt, List<ClaimData> claims)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            jwt.InvalidClaim ??= name;
            reader.Skip();
            return null;
        }

        // Per-token values (sub, jti, username) are not interned: they would only churn the table.
        var value = name is UserPoolClaimTypes.Issuer or UserPoolClaimTypes.TokenUse or UserPoolClaimTypes.ClientId
            ? InternedStrings.Get(ref reader)
            : reader.GetString()!;
        claims.Add(new ClaimData(name, value, ClaimValueTypes.String));
        return value;
    }

    private static NumericDate ReadNumericDate(ref Utf8JsonReader reader, string name, ParsedJwt jwt, List<ClaimData> claims)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var seconds))
        {
            jwt.InvalidClaim ??= name;
            reader.Skip();
            return NumericDate.Invalid;
        }

        var date = NumericDate.Parse(seconds);
        if (date.State == NumericDateState.Invalid)
        {
            jwt.InvalidClaim ??= name;
            return date;
        }

        claims.Add(NumberClaim(ref reader, name));
        return date;
    }

    // A string counts as a one-element list, as Cognito-compatible issuers sometimes emit a single group or audience that way.
    private static List<string>? ReadStrings(ref Utf8JsonReader reader, string name, ParsedJwt jwt, List<ClaimData> claims)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var single = InternedStrings.Get(ref reader);
            claims.Add(new ClaimData(name, single, ClaimValueTypes.String));
            return [single];
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            jwt.InvalidClaim ??= name;
            reader.Skip();
            return null;
        }

        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                jwt.InvalidClaim ??= name;
                reader.Skip();
                continue;
            }

            var value = InternedStrings.Get(ref reader);
            list.Add(value);
            claims.Add(new ClaimData(name, value, ClaimValueTypes.String));
        }

        return list;
    }

    private static string[] ReadScopes(ref Utf8JsonReader reader, ParsedJwt jwt, List<ClaimData> claims)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            jwt.InvalidClaim ??= UserPoolClaimTypes.Scope;
            reader.Skip();
            return [];
        }

        if (reader.ValueIsEscaped)
        {
            return AddScopes(reader.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries), claims);
        }

        // Split the UTF-8 in place: no string for the whole claim, and each scope name is interned.
        var utf8 = reader.ValueSpan;
        var scopes = new string[CountScopes(utf8)];
        var count = 0;
        foreach (var range in utf8.Split((byte)' '))
        {
            if (range.End.Value > range.Start.Value)
            {
                scopes[count++] = InternedStrings.Get(utf8[range]);
            }
        }

        return AddScopes(scopes, claims);
    }

    private static int CountScopes(ReadOnlySpan<byte> utf8)
    {
        var count = 0;
        var inScope = false;
        foreach (var b in utf8)
        {
            count += !inScope && b != (byte)' ' ? 1 : 0;
            inScope = b != (byte)' ';
        }

        return count;
    }

    private static string[] AddScopes(string[] scopes, List<ClaimData> claims)
    {
        foreach (var scope in scopes)
        {
            claims.Add(new ClaimData(UserPoolClaimTypes.Scope, scope, ClaimValueTypes.String));
        }

        return scopes;
    }

    private static void AddClaims(ref Utf8JsonReader reader, string name, ReadOnlySpan<byte> json, List<ClaimData> claims)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                AddClaim(ref reader, name, json, claims);
            }

            return;
        }

        AddClaim(ref reader, name, json, claims);
    }

    private static void AddClaim(ref Utf8JsonReader reader, string name, ReadOnlySpan<byte> json, List<ClaimData> claims)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                claims.Add(new ClaimData(name, reader.GetString()!, ClaimValueTypes.String));
                break;
            case JsonTokenType.Number:
                claims.Add(NumberClaim(ref reader, name));
                break;
            case JsonTokenType.True:
                claims.Add(new ClaimData(name, "true", ClaimValueTypes.Boolean));
                break;
            case JsonTokenType.False:
                claims.Add(new ClaimData(name, "false", ClaimValueTypes.Boolean));
                break;
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var end = (int)reader.BytesConsumed;
                claims.Add(new ClaimData(name, Encoding.UTF8.GetString(json[start..end]), JsonValueType));
                break;
            default:
                // null carries no claim.
                break;
        }
    }

    private static ClaimData NumberClaim(ref Utf8JsonReader reader, string name)
    {
        if (reader.TryGetInt64(out var whole))
        {
            return new ClaimData(name, whole.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64);
        }

        return new ClaimData(name, reader.GetDouble().ToString("R", CultureInfo.InvariantCulture), ClaimValueTypes.Double);
    }

    private static string ReadName(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            var known = KnownName(reader.ValueSpan);
            if (known is not null)
            {
                return known;
            }
        }

        return reader.GetString()!;
    }

    // Known names map to the constant strings so the common claims cost no allocation.
    private static string? KnownName(ReadOnlySpan<byte> name) => name.Length switch
    {
        3 when name.SequenceEqual("iss"u8) => UserPoolClaimTypes.Issuer,
        3 when name.SequenceEqual("sub"u8) => UserPoolClaimTypes.Subject,
        3 when name.SequenceEqual("exp"u8) => UserPoolClaimTypes.Expiration,
        3 when name.SequenceEqual("iat"u8) => UserPoolClaimTypes.IssuedAt,
        3 when name.SequenceEqual("nbf"u8) => UserPoolClaimTypes.NotBefore,
        3 when name.SequenceEqual("jti"u8) => UserPoolClaimTypes.TokenId,
        3 when name.SequenceEqual("aud"u8) => UserPoolClaimTypes.Audience,
        3 when name.SequenceEqual("alg"u8) => "alg",
        3 when name.SequenceEqual("kid"u8) => "kid",
        3 when name.SequenceEqual("typ"u8) => "typ",
        5 when name.SequenceEqual("scope"u8) => UserPoolClaimTypes.Scope,
        5 when name.SequenceEqual("email"u8) => "email",
        7 when name.SequenceEqual("version"u8) => "version",
        8 when name.SequenceEqual("username"u8) => UserPoolClaimTypes.Username,
        8 when name.SequenceEqual("event_id"u8) => UserPoolClaimTypes.EventId,
        9 when name.SequenceEqual("token_use"u8) => UserPoolClaimTypes.TokenUse,
        9 when name.SequenceEqual("client_id"u8) => UserPoolClaimTypes.ClientId,
        9 when name.SequenceEqual("auth_time"u8) => UserPoolClaimTypes.AuthTime,
        10 when name.SequenceEqual("origin_jti"u8) => UserPoolClaimTypes.OriginTokenId,
        14 when name.SequenceEqual("cognito:groups"u8) => UserPoolClaimTypes.Groups,
        14 when name.SequenceEqual("email_verified"u8) => "email_verified",
        16 when name.SequenceEqual("cognito:username"u8) => UserPoolClaimTypes.CognitoUsername,
        _ => null,
    };

    // Utf8JsonReader would skip a BOM-less leading whitespace but not a BOM; both are rejected as not what an issuer signs.
    private static bool IsJsonObjectStart(ReadOnlySpan<byte> json) => json.Length > 1 && json[0] == (byte)'{';

    private static bool AtEndOfSingleObject(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0 && !reader.Read();

    private static sbyte[] BuildBase64UrlValues()
    {
        var values = new sbyte[128];
        Array.Fill(values, (sbyte)-1);
        for (var i = 0; i < Base64UrlAlphabet.Length; i++)
        {
            values[Base64UrlAlphabet[i]] = (sbyte)i;
        }

        return values;
    }
}
