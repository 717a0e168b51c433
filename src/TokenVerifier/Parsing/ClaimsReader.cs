using System.Collections.ObjectModel;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Unicode;
using TokenVerifier.Claims;

namespace TokenVerifier.Validation;

/// <summary>
/// Reads the claims set the way Cognito writes it: the claims the checks need into <see cref="ParsedJwt"/>, groups and
/// scopes into read-only lists (a cached token is shared by every request that presents it), and, only when an identity
/// asks for them, every claim under its own name. Runs only once the signature has verified, and applies every check
/// of <see cref="StrictJson"/> at every depth, plus one of its own: top-level names unique ignoring case.
/// </summary>
internal static partial class ClaimsReader
{
    // Longer group lists are read each time rather than kept in the table.
    private const int MaxGroupListBytes = 1024;

    private static readonly Utf8Table<ReadOnlyCollection<string>> GroupLists = new(256);

    [ThreadStatic]
    private static List<ClaimData>? t_claims;

    /// <summary>
    /// Checks the claims set and reads what the checks and <see cref="UserPoolToken"/> need, building no claim: the
    /// claims themselves are read again from the token when something asks for them (<see cref="Collect"/>).
    /// False when <paramref name="json"/> is not valid UTF-8 or fails a check of <see cref="StrictJson"/>.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> json, ParsedJwt jwt) =>
        StrictJson.IsObjectText(json) && Utf8.IsValid(json) && TryRead(json, jwt, null);

    /// <summary>
    /// As <see cref="TryRead(ReadOnlySpan{byte}, ParsedJwt)"/> for a payload <see cref="IssuerScan"/> accepted: the
    /// scan has checked its UTF-8, syntax and outer braces, so they are not checked again, and where it recorded the
    /// <paramref name="members"/> they are read from there (<see cref="ScannedClaims"/>) unless an escape or a nested
    /// object needs the reader's checks.
    /// </summary>
    public static bool TryReadScanned(ReadOnlySpan<byte> json, ReadOnlySpan<int> members, ParsedJwt jwt) =>
        (members.IsEmpty ? null : ScannedClaims.TryRead(json, members, jwt)) ?? TryRead(json, jwt, null);

    /// <summary>
    /// Every claim of a claims set <see cref="TryRead(ReadOnlySpan{byte}, ParsedJwt)"/> accepted, in order, as the app
    /// reads them. The same reader in the same order, so the claims are exactly those the checks saw.
    /// </summary>
    /// <exception cref="InvalidOperationException">The claims set does not pass the checks (it was never accepted).</exception>
    public static ClaimData[] Collect(ReadOnlySpan<byte> json)
    {
        // Claims collect in a per-thread list and leave as an array of the exact size.
        var claims = t_claims ?? new List<ClaimData>(32);
        t_claims = null;
        try
        {
            return StrictJson.IsObjectText(json) && Utf8.IsValid(json) && TryRead(json, new ParsedJwt(), claims)
                ? [.. claims]
                : throw new InvalidOperationException("The claims set of a validated token no longer reads.");
        }
        finally
        {
            claims.Clear();
            t_claims = claims;
        }
    }

    // With claims null only the checks run and the values the token keeps are read; otherwise every claim is added too.
    // The callers have checked that json is UTF-8 with nothing around its object.
    private static bool TryRead(ReadOnlySpan<byte> json, ParsedJwt jwt, List<ClaimData>? claims)
    {
        var reader = new Utf8JsonReader(json, StrictJson.ReaderOptions);
        var members = new MemberNames(stackalloc int[64]);
        var token = jwt.Token;
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = InternedNames.Read(ref reader, ignoreCase: true, out var hash);
                if (!members.Add(hash))
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
                        token.Groups = ReadGroups(ref reader, json, jwt, claims);
                        break;
                    case UserPoolClaimTypes.Scope:
                        token.Scopes = ReadScopes(ref reader, jwt, claims);
                        break;
                    default:
                        // The identity answers the name, group and scope questions from the token's own lists, which
                        // holds only while no other claim's name matches theirs ignoring case (as its lookups compare).
                        token.HasCaseVariantName |= IsCaseVariantOfAnswered(name);
                        if (claims is null)
                        {
                            // The same checks as reading the value (strings unescaped, nested objects' names unique).
                            StrictJson.Skip(ref reader);
                        }
                        else
                        {
                            ClaimValues.Add(ref reader, name, json, claims);
                        }

                        break;
                }
            }

            return StrictJson.AtEndOfSingleObject(ref reader);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    internal static bool IsCaseVariantOfAnswered(string name) =>
        name.Length is 5 or 8 or 14 or 16 && (string.Equals(name, UserPoolClaimTypes.Username, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, UserPoolClaimTypes.CognitoUsername, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, UserPoolClaimTypes.Groups, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, UserPoolClaimTypes.Scope, StringComparison.OrdinalIgnoreCase));

    private static string? ReadKnownString(ref Utf8JsonReader reader, string name, ParsedJwt jwt, List<ClaimData>? claims)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            jwt.InvalidClaim ??= name;
            StrictJson.Skip(ref reader);
            return null;
        }

        // Per-token values (sub, jti, username) are not interned: they would only churn the table.
        var value = name is UserPoolClaimTypes.Issuer or UserPoolClaimTypes.TokenUse or UserPoolClaimTypes.ClientId
            ? InternedStrings.Get(ref reader)
            : reader.GetString()!;
        claims?.Add(new ClaimData(name, value, ClaimValueTypes.String));
        return value;
    }

    private static NumericDate ReadNumericDate(ref Utf8JsonReader reader, string name, ParsedJwt jwt, List<ClaimData>? claims)
    {
        if (reader.TokenType != JsonTokenType.Number || !TryGetSeconds(ref reader, out var seconds))
        {
            jwt.InvalidClaim ??= name;
            StrictJson.Skip(ref reader);
            return NumericDate.Invalid;
        }

        var date = NumericDate.Parse(seconds);
        if (date.State == NumericDateState.Invalid)
        {
            jwt.InvalidClaim ??= name;
            return date;
        }

        if (claims is not null)
        {
            claims.Add(ClaimValues.Number(ref reader, name));
        }
        return date;
    }

    // An integer, as issuers write these, converts exactly as TryGetDouble parses it, and faster; a minus sign takes
    // the general path, so that "-0" stays the negative zero it is.
    private static bool TryGetSeconds(ref Utf8JsonReader reader, out double seconds)
    {
        if (reader.ValueSpan[0] != (byte)'-' && reader.TryGetInt64(out var whole))
        {
            seconds = whole;
            return true;
        }

        return reader.TryGetDouble(out seconds);
    }
}
