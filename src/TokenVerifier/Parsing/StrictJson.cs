using System.Buffers;
using System.Text.Json;

namespace TokenVerifier.Validation;

/// <summary>
/// What the header and claims readers ask of their JSON beyond its syntax: one object with nothing around it (no
/// whitespace or BOM before its opening or after its closing brace), bounded depth, unique member names in every
/// object at any depth, and strings whose escapes make valid Unicode (no lone surrogates). The claims an app reads
/// must be exactly the JSON that was signed, and parsers disagree on all of these.
/// </summary>
internal static class StrictJson
{
    public const int MaxDepth = 16;

    private const int StackBytes = 256;

    public static JsonReaderOptions ReaderOptions => new() { MaxDepth = MaxDepth };

    /// <summary>
    /// True when <paramref name="json"/> starts with <c>{</c> and ends with <c>}</c>. One rule for both ends: an issuer
    /// writes no whitespace around the object, and two spellings of one claims set must not both verify.
    /// </summary>
    public static bool IsObjectText(ReadOnlySpan<byte> json) => json.Length > 1 && json[0] == (byte)'{' && json[^1] == (byte)'}';

    /// <summary>True when the reader stands on the end of the top-level object and nothing follows it.</summary>
    public static bool AtEndOfSingleObject(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0 && !reader.Read();

    /// <summary>
    /// Steps over the value the reader stands on, as <see cref="Utf8JsonReader.Skip"/> does, checking on the way what
    /// Skip lets through: duplicate member names in nested objects and strings (names or values) with lone surrogates.
    /// </summary>
    /// <exception cref="JsonException">A duplicate member name, or the syntax is wrong.</exception>
    /// <exception cref="InvalidOperationException">A string's escapes are not valid UTF-16 (a lone surrogate).</exception>
    public static void Skip(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                reader.Read();
                Skip(ref reader);
                break;
            case JsonTokenType.StartObject:
                SkipObject(ref reader);
                break;
            case JsonTokenType.StartArray:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    Skip(ref reader);
                }

                break;
            case JsonTokenType.String when reader.ValueIsEscaped:
                UnescapedHash(ref reader);
                break;
            default:
                break;
        }
    }

    // Recursion is bounded by MaxDepth, which the reader enforces.
    private static void SkipObject(ref Utf8JsonReader reader)
    {
        var members = new MemberNames(stackalloc int[16]);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!members.Add(UnescapedHash(ref reader)))
            {
                throw new JsonException("A member name occurs twice in one object.");
            }

            reader.Read();
            Skip(ref reader);
        }
    }

    // Hashes the unescaped UTF-8 of the current string, so "a" and "\u0061" are one name. Unescaping throws on a lone
    // surrogate; unescaped text is valid UTF-8, which the readers check for the whole document first.
    private static int UnescapedHash(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return Hash(reader.ValueSpan);
        }

        // Unescaped text is never longer than its escaped form.
        var length = reader.ValueSpan.Length;
        byte[]? rented = null;
        var buffer = length <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = reader.CopyString(buffer);
            return Hash(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static int Hash(ReadOnlySpan<byte> utf8)
    {
        var hash = default(HashCode);
        hash.AddBytes(utf8);
        return hash.ToHashCode();
    }
}
