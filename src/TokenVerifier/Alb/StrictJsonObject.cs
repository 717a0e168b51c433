using System.Text.Json;

namespace TokenVerifier.Alb;

/// <summary>
/// Parses a segment that must be one JSON object whose members are unique: <see cref="JsonDocument"/> keeps every
/// duplicate and most readers take the last, so a duplicate could make two readers disagree about the same token.
/// Names differing only in case are duplicates at the top level (claims are looked up ignoring case); every string
/// must be valid UTF-16 (no lone surrogates).
/// </summary>
internal static class StrictJsonObject
{
    public static JsonDocument? TryParse(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument? document = null;
        try
        {
            document = JsonDocument.Parse(utf8);
            if (document.RootElement.ValueKind == JsonValueKind.Object && IsStrict(document.RootElement, topLevel: true))
            {
                var accepted = document;
                document = null;
                return accepted;
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // Raised by GetString for text that is not valid UTF-8 or UTF-16.
            return null;
        }
        finally
        {
            document?.Dispose();
        }
    }

    private static bool IsStrict(JsonElement element, bool topLevel)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(topLevel ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
                foreach (var member in element.EnumerateObject())
                {
                    if (!names.Add(member.Name) || !IsStrict(member.Value, topLevel: false))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!IsStrict(item, topLevel: false))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.String:
                _ = element.GetString();
                return true;
            default:
                return true;
        }
    }
}
