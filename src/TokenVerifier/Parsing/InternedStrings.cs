using System.Runtime.InteropServices;
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
    private const int Slots = 2048;
    private const int MaxValueBytes = 128;

    private static readonly Entry?[] Table = new Entry?[Slots];

    /// <summary>The current string value of <paramref name="reader"/>, shared with earlier reads of the same bytes.</summary>
    public static string Get(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped || reader.ValueSpan.Length > MaxValueBytes ? reader.GetString()! : Get(reader.ValueSpan);

    /// <summary>The string of <paramref name="utf8"/> (unescaped UTF-8), shared with earlier reads of the same bytes.</summary>
    /// <exception cref="InvalidOperationException">The bytes are not valid UTF-8 (as <see cref="Utf8JsonReader.GetString"/> throws).</exception>
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length <= MaxValueBytes)
        {
            ref var slot = ref Table[Hash(utf8) & (Slots - 1)];
            var entry = Volatile.Read(ref slot);

            // A match is valid UTF-8: the slot only ever holds bytes that were checked before they went in.
            if (entry is not null && utf8.SequenceEqual(entry.Utf8))
            {
                return entry.Value;
            }

            var value = Decode(utf8);
            Volatile.Write(ref slot, new Entry(value, utf8.ToArray()));
            return value;
        }

        return Decode(utf8);
    }

    private static string Decode(ReadOnlySpan<byte> utf8) =>
        Utf8.IsValid(utf8) ? Encoding.UTF8.GetString(utf8) : throw new InvalidOperationException("The value is not valid UTF-8.");

    /// <summary>
    /// Length and the first and last eight bytes: constant time for any value, and enough to tell apart the handful of
    /// values that repeat (a collision only costs an allocation). <see cref="HashCode"/> is seeded per process.
    /// </summary>
    public static int Hash(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length >= sizeof(ulong))
        {
            return HashCode.Combine(utf8.Length, MemoryMarshal.Read<ulong>(utf8), MemoryMarshal.Read<ulong>(utf8[^sizeof(ulong)..]));
        }

        ulong packed = 0;
        foreach (var b in utf8)
        {
            packed = (packed << 8) | b;
        }

        return HashCode.Combine(utf8.Length, packed);
    }

    private sealed class Entry(string value, byte[] utf8)
    {
        public string Value { get; } = value;

        public byte[] Utf8 { get; } = utf8;
    }
}
