using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using TokenVerifier.Claims;

namespace TokenVerifier.Validation;

/// <summary>Turns the JSON value of a claim the validator does not interpret into claims, as the app will read them.</summary>
internal static class ClaimValues
{
    private const string JsonValueType = "JSON";

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

    public static ClaimData Number(ref Utf8JsonReader reader, string name)
    {
        if (reader.TryGetInt64(out var whole))
        {
            return new ClaimData(name, whole.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64);
        }

        return new ClaimData(name, reader.GetDouble().ToString("R", CultureInfo.InvariantCulture), ClaimValueTypes.Double);
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
}
