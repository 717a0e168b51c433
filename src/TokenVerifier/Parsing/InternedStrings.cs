using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace TokenVerifier.Validation;

/// <summary>
/// Reuses the strings of values that repeat from token to token (algorithm, kid, issuer, client id, token use, group and
/// scope names), so reading a token does not allocate them again. A fixed table, one slot per hash, overwritten on a
/// collision: memory stays bounded whatever tokens arrive, and a slot is reused only after a byte-for-byte comparison.
/// </summary>
internal static class InternedStrings
{
    private const int MaxValueBytes = 128;

    // Only bytes that decoded go in, so a match is valid UTF-8.
    private static readonly Utf8Table<string> Table = new(2048);

    /// <summary>The current string value of <paramref name="reader"/>, shared with earlier reads of the same bytes.</summary>
    public static string Get(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped || reader.ValueSpan.Length > MaxValueBytes ? reader.GetString()! : Get(reader.ValueSpan);

    /// <summary>The string of <paramref name="utf8"/> (unescaped UTF-8), shared with earlier reads of the same bytes.</summary>
    /// <exception cref="InvalidOperationException">The bytes are not valid UTF-8 (as <see cref="Utf8JsonReader.GetString"/> throws).</exception>
    public static string Get(ReadOnlySpan<byte> utf8) => utf8.Length > MaxValueBytes ? Decode(utf8) : Table.GetOrAdd(utf8, Decode);

    private static string Decode(ReadOnlySpan<byte> utf8) =>
        Utf8.IsValid(utf8) ? Encoding.UTF8.GetString(utf8) : throw new InvalidOperationException("The value is not valid UTF-8.");
}
