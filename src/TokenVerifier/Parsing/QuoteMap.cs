using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TokenVerifier.Validation;

/// <summary>
/// Where the quotes of a JSON text are, one bit a byte, for a text with no backslash and no control byte: in such a text
/// a string ends at the first quote after it opens, so <see cref="JsonSyntax"/> finds each string's end in the map
/// instead of searching the bytes for a quote, an escape or a control character. Issuers write payloads this way, and
/// the scan before the signature stepped over some thirty strings of one payload with a search each.
/// </summary>
internal static class QuoteMap
{
    /// <summary>
    /// Texts longer than this are searched as before. The map pays for itself where strings are short and many, as in
    /// a claims set (an access token's payload is about 600 bytes, an ID token's with attributes a few kilobytes); one
    /// long string, as forged tokens carry, is found faster by the search. The map lives on the stack: 512 bytes at most.
    /// </summary>
    public const int MaxTextLength = 4 * 1024;

    private const int BytesPerWord = 64;

    /// <summary>The words a map of a <paramref name="length"/>-byte text takes; none past <see cref="MaxTextLength"/>.</summary>
    public static int Words(int length) => length <= MaxTextLength ? (length + BytesPerWord - 1) / BytesPerWord : 0;

    /// <summary>
    /// Fills <paramref name="words"/> (<see cref="Words"/> of <paramref name="json"/>'s length) with the quotes of
    /// <paramref name="json"/>; false, and the map is not to be used, when the text has a backslash or a byte below 0x20
    /// anywhere (whitespace included), or is longer than <see cref="MaxTextLength"/>.
    /// </summary>
    public static bool TryBuild(ReadOnlySpan<byte> json, Span<ulong> words) => TryBuild(json, words, Vector512.IsHardwareAccelerated);

    /// <summary>
    /// As <see cref="TryBuild(ReadOnlySpan{byte}, Span{ulong})"/>, a word at a time in one 64-byte vector when
    /// <paramref name="wide"/> is set, else in four of 16 bytes; for tests, which compare both on any machine (the wide
    /// one runs, slowly, where the platform does not accelerate it).
    /// </summary>
    internal static bool TryBuild(ReadOnlySpan<byte> json, Span<ulong> words, bool wide)
    {
        if (json.Length > MaxTextLength || words.Length != Words(json.Length))
        {
            return false;
        }

        // Backslashes and control bytes gathered as bits, in a register: the text has none when this stays zero.
        ulong stops = 0;
        var whole = json.Length / BytesPerWord;
        for (var w = 0; w < whole; w++)
        {
            words[w] = Word(json.Slice(w * BytesPerWord, BytesPerWord), wide, out var stopped);
            stops |= stopped;
        }

        var rest = json.Length % BytesPerWord;
        if (rest > 0)
        {
            // The text's last 64 bytes, shifted to leave the rest's: bytes read twice are judged the same twice.
            ulong stopped;
            words[whole] = json.Length >= BytesPerWord
                ? Word(json[^BytesPerWord..], wide, out stopped) >> (BytesPerWord - rest)
                : ShortWord(json, out stopped);
            stops |= stopped;
        }

        return stops == 0;
    }

    /// <summary>
    /// The index just past the string whose opening quote is at <paramref name="index"/> in a text whose map is
    /// <paramref name="words"/>: past the next quote, or -1 when there is none.
    /// </summary>
    public static int SkipString(ReadOnlySpan<ulong> words, int index)
    {
        // Unsigned, so that dividing by the word's size is a shift (an index is never negative here).
        var from = (uint)index + 1;
        var w = from / BytesPerWord;
        if (w >= (uint)words.Length)
        {
            return -1;
        }

        var bits = words[(int)w] & (ulong.MaxValue << (int)(from % BytesPerWord));
        while (bits == 0)
        {
            if (++w >= (uint)words.Length)
            {
                return -1;
            }

            bits = words[(int)w];
        }

        return (int)(w * BytesPerWord) + BitOperations.TrailingZeroCount(bits) + 1;
    }

    // One 64-byte vector to a word where the platform accelerates it (the map in about two thirds of the time on this
    // project's machine), else four of 16 bytes, the widest every platform accelerates. stops: nonzero when the bytes
    // hold a backslash or a byte below a space.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Word(ReadOnlySpan<byte> bytes, bool wide, out ulong stops)
    {
        if (wide)
        {
            var all = Vector512.Create(bytes);
            stops = (Vector512.Equals(all, Vector512.Create((byte)'\\')) | Vector512.LessThan(all, Vector512.Create((byte)' '))).ExtractMostSignificantBits();
            return Vector512.Equals(all, Vector512.Create((byte)'"')).ExtractMostSignificantBits();
        }

        var a = Vector128.Create(bytes[..16]);
        var b = Vector128.Create(bytes.Slice(16, 16));
        var c = Vector128.Create(bytes.Slice(32, 16));
        var d = Vector128.Create(bytes.Slice(48, 16));
        var backslash = Vector128.Create((byte)'\\');
        var space = Vector128.Create((byte)' ');
        stops = (Vector128.Equals(a, backslash) | Vector128.LessThan(a, space) | Vector128.Equals(b, backslash) | Vector128.LessThan(b, space)
            | Vector128.Equals(c, backslash) | Vector128.LessThan(c, space) | Vector128.Equals(d, backslash) | Vector128.LessThan(d, space)).ExtractMostSignificantBits();
        var quote = Vector128.Create((byte)'"');
        return Vector128.Equals(a, quote).ExtractMostSignificantBits()
            | ((ulong)Vector128.Equals(b, quote).ExtractMostSignificantBits() << 16)
            | ((ulong)Vector128.Equals(c, quote).ExtractMostSignificantBits() << 32)
            | ((ulong)Vector128.Equals(d, quote).ExtractMostSignificantBits() << 48);
    }

    // A text shorter than a word, byte by byte.
    private static ulong ShortWord(ReadOnlySpan<byte> bytes, out ulong stops)
    {
        ulong word = 0;
        stops = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] < (byte)' ' || bytes[i] == (byte)'\\')
            {
                stops = 1;
            }

            word |= bytes[i] == (byte)'"' ? 1UL << i : 0;
        }

        return word;
    }
}
