using System.Buffers;

namespace TokenVerifier.Validation;

/// <summary>
/// Steps over JSON text exactly as <see cref="System.Text.Json.Utf8JsonReader"/> with <see cref="StrictJson.ReaderOptions"/>
/// accepts it (no comments, no trailing commas, at most <see cref="StrictJson.MaxDepth"/> nested containers, the four
/// whitespace characters, strict numbers, literals and escapes, no control character in a string), making no token:
/// the pre-signature scan of a payload runs on every forged token, and the general reader spent most of its time
/// describing tokens nobody reads. Escapes are checked for their form, not unescaped, as the reader does while skipping.
/// Every method takes the index of the value's first byte and returns the index just past it, or -1 when the text is not
/// JSON there.
/// </summary>
internal static class JsonSyntax
{
    // What ends a run of plain string characters: the closing quote, an escape, or a control character (not allowed raw).
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(BuildStringStops());

    /// <summary>The index of the first byte from <paramref name="index"/> on that is not JSON whitespace.</summary>
    public static int SkipWhitespace(ReadOnlySpan<byte> json, int index)
    {
        while ((uint)index < (uint)json.Length && json[index] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            index++;
        }

        return index;
    }

    /// <summary>Steps over the value starting at <paramref name="index"/>, a member of a container at <paramref name="depth"/>.</summary>
    public static int SkipValue(ReadOnlySpan<byte> json, int index, int depth) => SkipValue(json, default, index, depth);

    /// <summary>
    /// As <see cref="SkipValue(ReadOnlySpan{byte}, int, int)"/>, finding the strings' ends in <paramref name="quotes"/>,
    /// the <see cref="QuoteMap"/> of <paramref name="json"/>, unless it is empty.
    /// </summary>
    public static int SkipValue(ReadOnlySpan<byte> json, ReadOnlySpan<ulong> quotes, int index, int depth)
    {
        if ((uint)index >= (uint)json.Length)
        {
            return -1;
        }

        return json[index] switch
        {
            (byte)'"' => SkipString(json, quotes, index, out _),
            (byte)'{' => SkipContainer(json, quotes, index, depth, (byte)'}'),
            (byte)'[' => SkipContainer(json, quotes, index, depth, (byte)']'),
            (byte)'t' => SkipLiteral(json, index, "true"u8),
            (byte)'f' => SkipLiteral(json, index, "false"u8),
            (byte)'n' => SkipLiteral(json, index, "null"u8),
            _ => SkipNumber(json, index),
        };
    }

    /// <summary>
    /// Steps over the string whose opening quote is at <paramref name="index"/>; <paramref name="escaped"/> when it has an
    /// escape. Its end is found in <paramref name="quotes"/>, the <see cref="QuoteMap"/> of <paramref name="json"/>, unless
    /// that is empty: a text with a map has no escape and no control byte to look for.
    /// </summary>
    public static int SkipString(ReadOnlySpan<byte> json, ReadOnlySpan<ulong> quotes, int index, out bool escaped)
    {
        escaped = false;
        if (!quotes.IsEmpty)
        {
            return QuoteMap.SkipString(quotes, index);
        }

        index++;
        while (true)
        {
            var stop = (uint)index < (uint)json.Length ? json[index..].IndexOfAny(StringStops) : -1;
            if (stop < 0)
            {
                return -1;
            }

            index += stop;
            switch (json[index])
            {
                case (byte)'"':
                    return index + 1;
                case (byte)'\\':
                    escaped = true;
                    index = SkipEscape(json, index);
                    if (index < 0)
                    {
                        return -1;
                    }

                    break;
                default:
                    return -1;
            }
        }
    }

    /// <summary>
    /// After the value ending at <paramref name="index"/>, inside a container that closes with <paramref name="close"/>:
    /// the index of the next member's first byte (past a comma), or <paramref name="index"/>'s container's end (past the
    /// closing byte) with <paramref name="closed"/> set, or -1.
    /// </summary>
    public static int AfterMember(ReadOnlySpan<byte> json, int index, byte close, out bool closed)
    {
        closed = false;

        // Issuers write no whitespace: the comma or the close, then the next member, straight away.
        if (index >= 0 && index < json.Length - 1)
        {
            var next = json[index];
            if (next == close)
            {
                closed = true;
                return index + 1;
            }

            if (next == (byte)',' && json[index + 1] > (byte)' ')
            {
                return index + 1;
            }
        }

        index = SkipWhitespace(json, index);
        if ((uint)index >= (uint)json.Length)
        {
            return -1;
        }

        if (json[index] == close)
        {
            closed = true;
            return index + 1;
        }

        return json[index] == (byte)',' ? SkipWhitespace(json, index + 1) : -1;
    }

    /// <summary>After a member's name ending at <paramref name="index"/>: the index of its value's first byte (past the colon), or -1.</summary>
    public static int AfterName(ReadOnlySpan<byte> json, int index)
    {
        // As issuers write it: the colon, then the value (no byte above a space is whitespace).
        if (index >= 0 && index < json.Length - 1 && json[index] == (byte)':' && json[index + 1] > (byte)' ')
        {
            return index + 1;
        }

        index = SkipWhitespace(json, index);
        return (uint)index < (uint)json.Length && json[index] == (byte)':' ? SkipWhitespace(json, index + 1) : -1;
    }

    // Recursion is bounded by StrictJson.MaxDepth, as the reader bounds it.
    private static int SkipContainer(ReadOnlySpan<byte> json, ReadOnlySpan<ulong> quotes, int index, int depth, byte close)
    {
        if (depth >= StrictJson.MaxDepth)
        {
            return -1;
        }

        index = SkipWhitespace(json, index + 1);
        if ((uint)index < (uint)json.Length && json[index] == close)
        {
            return index + 1;
        }

        while (true)
        {
            if (close == (byte)'}')
            {
                index = (uint)index < (uint)json.Length && json[index] == (byte)'"' ? SkipString(json, quotes, index, out _) : -1;
                index = index < 0 ? -1 : AfterName(json, index);
            }

            index = index < 0 ? -1 : SkipValue(json, quotes, index, depth + 1);
            if (index < 0)
            {
                return -1;
            }

            index = AfterMember(json, index, close, out var closed);
            if (index < 0 || closed)
            {
                return index;
            }
        }
    }

    private static int SkipEscape(ReadOnlySpan<byte> json, int index)
    {
        if ((uint)(index + 1) >= (uint)json.Length)
        {
            return -1;
        }

        switch (json[index + 1])
        {
            case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                return index + 2;
            case (byte)'u':
                if (index + 6 > json.Length)
                {
                    return -1;
                }

                foreach (var b in json.Slice(index + 2, 4))
                {
                    if (!char.IsAsciiHexDigit((char)b))
                    {
                        return -1;
                    }
                }

                return index + 6;
            default:
                return -1;
        }
    }

    private static int SkipLiteral(ReadOnlySpan<byte> json, int index, ReadOnlySpan<byte> literal) =>
        json[index..].StartsWith(literal) ? index + literal.Length : -1;

    // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? ; what may follow is for the container to judge.
    private static int SkipNumber(ReadOnlySpan<byte> json, int index)
    {
        if (json[index] == (byte)'-')
        {
            index++;
        }

        if ((uint)index >= (uint)json.Length || !char.IsAsciiDigit((char)json[index]))
        {
            return -1;
        }

        index = json[index] == (byte)'0' ? index + 1 : SkipDigits(json, index);
        if ((uint)index < (uint)json.Length && json[index] == (byte)'.')
        {
            index = SkipRequiredDigits(json, index + 1);
        }

        if (index >= 0 && (uint)index < (uint)json.Length && json[index] is (byte)'e' or (byte)'E')
        {
            index++;
            if ((uint)index < (uint)json.Length && json[index] is (byte)'+' or (byte)'-')
            {
                index++;
            }

            index = SkipRequiredDigits(json, index);
        }

        return index;
    }

    private static int SkipRequiredDigits(ReadOnlySpan<byte> json, int index) =>
        (uint)index < (uint)json.Length && char.IsAsciiDigit((char)json[index]) ? SkipDigits(json, index) : -1;

    private static int SkipDigits(ReadOnlySpan<byte> json, int index)
    {
        while ((uint)index < (uint)json.Length && char.IsAsciiDigit((char)json[index]))
        {
            index++;
        }

        return index;
    }

    private static byte[] BuildStringStops()
    {
        var stops = new byte[34];
        for (var b = 0; b < 0x20; b++)
        {
            stops[b] = (byte)b;
        }

        stops[32] = (byte)'"';
        stops[33] = (byte)'\\';
        return stops;
    }
}
