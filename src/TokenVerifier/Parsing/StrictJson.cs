using System.Text.Json;

namespace TokenVerifier.Validation;

/// <summary>
/// What the header and claims readers ask of their JSON beyond its syntax: one object, nothing around it, bounded depth.
/// </summary>
internal static class StrictJson
{
    public const int MaxDepth = 16;

    public static JsonReaderOptions ReaderOptions => new() { MaxDepth = MaxDepth };

    // Utf8JsonReader would skip a BOM-less leading whitespace but not a BOM; both are rejected as not what an issuer signs.
    public static bool IsObjectText(ReadOnlySpan<byte> json) => json.Length > 1 && json[0] == (byte)'{';

    /// <summary>True when the reader stands on the end of the top-level object and nothing follows it.</summary>
    public static bool AtEndOfSingleObject(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0 && !reader.Read();
}
