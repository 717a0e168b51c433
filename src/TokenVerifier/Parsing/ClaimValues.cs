using System.Security.Claims;
using System.Text;
using System.Text.Json;
using TokenVerifier.Claims;

namespace TokenVerifier.Validation;

/// <summary>
/// Turns the JSON value of a claim the validator does not interpret into claims, as the app will read them: an array
/// gives one claim per element, an object one claim holding its signed text, a number its literal text, null nothing.
/// The README's table of this mapping is the contract.
/// </summary>
internal static class ClaimValues
{
    /// <summary>One claim per element of an array of primitives, else one claim for the value.</summary>
    public static void Add(ref Utf8JsonReader reader, string name, ReadOnlySpan<byte> json, List<ClaimData> claims)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                AddOne(ref reader, name, json, claims);
            }

            return;
        }

        AddOne(ref reader, name, json, claims);
    }

    /// <summary>
    /// The number's literal text, as signed: read as a double, 1e400 would become "Infinity", a 23-digit integer would
    /// lose digits and 1.0 would become 1. The value type says what the text is: an integer that fits 64 bits, a larger
    /// integer, or a number with a fraction or an exponent.
    /// </summary>
    public static ClaimData Number(ref Utf8JsonReader reader, string name)
    {
        var literal = reader.ValueSpan;
        var type = literal.IndexOfAny(".eE"u8) >= 0 ? ClaimValueTypes.Double
            : reader.TryGetInt64(out _) ? ClaimValueTypes.Integer64
            : ClaimValueTypes.Integer;
        return new ClaimData(name, Encoding.UTF8.GetString(literal), type);
    }

    private static void AddOne(ref Utf8JsonReader reader, string name, ReadOnlySpan<byte> json, List<ClaimData> claims)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                claims.Add(new ClaimData(name, reader.GetString()!, ClaimValueTypes.String));
                break;
            case JsonTokenType.Number:
                claims.Add(Number(ref reader, name));
                break;
            case JsonTokenType.True:
                claims.Add(new ClaimData(name, "true", ClaimValueTypes.Boolean));
                break;
            case JsonTokenType.False:
                claims.Add(new ClaimData(name, "false", ClaimValueTypes.Boolean));
                break;
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                // Only an array inside an array gets here; IdentityModel's value types tell the two apart.
                var valueType = reader.TokenType == JsonTokenType.StartObject ? UserPoolClaimValueTypes.Json : UserPoolClaimValueTypes.JsonArray;
                var start = (int)reader.TokenStartIndex;
                StrictJson.Skip(ref reader);
                var end = (int)reader.BytesConsumed;
                claims.Add(new ClaimData(name, Encoding.UTF8.GetString(json[start..end]), valueType));
                break;
            default:
                // null carries no claim.
                break;
        }
    }
}
