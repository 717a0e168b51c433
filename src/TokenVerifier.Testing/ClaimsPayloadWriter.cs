using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TokenVerifier.Testing;

/// <summary>Writes a token payload from claim name/value pairs the way Cognito does.</summary>
internal static class ClaimsPayloadWriter
{
    // Cognito writes "+", "/" and non-ASCII characters unescaped; the default encoder would not.
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Marks a default claim that is not written unless AdditionalClaims supplies a value, so that an
    // override still lands where Cognito puts the claim.
    internal static readonly object Absent = new();

    // Overrides replace a default in place so the claim order stays Cognito's; new claims go last.
    internal static byte[] Serialize(List<KeyValuePair<string, object?>> claims, IDictionary<string, object?> additionalClaims, ISet<string> omitClaims)
    {
        foreach (KeyValuePair<string, object?> extra in additionalClaims)
        {
            int index = claims.FindIndex(claim => string.Equals(claim.Key, extra.Key, StringComparison.Ordinal));
            if (index >= 0)
            {
                claims[index] = extra;
            }
            else
            {
                claims.Add(extra);
            }
        }

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach ((string name, object? value) in claims)
            {
                if (value != Absent && !omitClaims.Contains(name))
                {
                    writer.WritePropertyName(name);
                    WriteClaimValue(writer, name, value, "options");
                }
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteClaimValue(Utf8JsonWriter writer, string name, object? value, string paramName)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case double number:
                writer.WriteNumberValue(number);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case DateTimeOffset instant:
                writer.WriteNumberValue(instant.ToUnixTimeSeconds());
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case JsonNode node:
                node.WriteTo(writer);
                break;
            case IEnumerable<string?> texts:
                writer.WriteStartArray();
                foreach (string? text in texts)
                {
                    writer.WriteStringValue(text);
                }

                writer.WriteEndArray();
                break;

            // What a pre-token-generation trigger can add: objects and arrays of any of these values, at any depth.
            case IEnumerable<KeyValuePair<string, object?>> members:
                writer.WriteStartObject();
                foreach ((string member, object? memberValue) in members)
                {
                    writer.WritePropertyName(member);
                    WriteClaimValue(writer, name, memberValue, paramName);
                }

                writer.WriteEndObject();
                break;
            case System.Collections.IEnumerable items:
                writer.WriteStartArray();
                foreach (object? item in items)
                {
                    WriteClaimValue(writer, name, item, paramName);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException(
                    $"The claim '{name}' has a value of type {value.GetType()}; use a string, bool, int, long, double, decimal, DateTimeOffset, JsonElement, JsonNode, a dictionary of string to such values (an object), a sequence of such values (an array) or null.",
                    paramName);
        }
    }
}
