using System.Security.Cryptography;
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

    // Random per process, so which values collide is not a fixed property of a deployment.
    private static readonly uint Seed = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
    private static readonly Entry?[] Table = new Entry?[Slots];

    /// <summary>The current string value of <paramref name="reader"/>, shared with earlier reads of the same bytes.</summary>
    public static string Get(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped || reader.ValueSpan.Length > MaxValueBytes ? reader.GetString()! : Get(reader.ValueSpan);

    /// <summary>The string of <paramref name="utf8"/> (unescaped UTF-8), shared with earlier reads of the same bytes.</summary>
    /// <exception cref="InvalidOperationException">The bytes are not valid UTF-8 (as <see cref="Utf8JsonReader.GetString"/> throws).</exception>
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            throw new InvalidOperationException("The value is not valid UTF-8.");
        }

        if (utf8.Length > MaxValueBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var hash = Seed;
        foreach (var b in utf8)
        {
            hash = (hash ^ b) * 16777619;
        }

        ref var slot = ref Table[hash & (Slots - 1)];
        var entry = Volatile.Read(ref slot);
        if (entry is not null && utf8.SequenceEqual(entry.Utf8))
        {
            return entry.Value;
        }

        var value = Encoding.UTF8.GetString(utf8);
        Volatile.Write(ref slot, new Entry(value, utf8.ToArray()));
        return value;
    }

    private sealed class Entry(string value, byte[] utf8)
    {
        public string Value { get; } = value;

        public byte[] Utf8 { get; } = utf8;
    }
}
