using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace TokenVerifier.Validation;

/// <summary>
/// Values kept under the UTF-8 bytes they were made from, so that text repeating from token to token is read once: a
/// fixed table, one slot per hash, overwritten on a collision. Memory stays bounded whatever tokens arrive, and a value
/// is given back only for the very bytes it was stored under (compared byte for byte). Safe for concurrent use: a
/// reader sees a whole entry or none.
/// </summary>
/// <typeparam name="T">What the bytes read as; shared by every token that carries them, so never changed.</typeparam>
internal sealed class Utf8Table<T>
    where T : class
{
    private readonly Entry?[] _slots;

    /// <param name="slots">How many values the table holds at most: a power of two.</param>
    public Utf8Table(int slots)
    {
        if (slots <= 0 || (slots & (slots - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(slots), slots, "The number of slots is a power of two.");
        }

        _slots = new Entry?[slots];
    }

    /// <summary>The value stored under exactly <paramref name="utf8"/>, if its slot still holds it.</summary>
    public bool TryGet(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out T? value)
    {
        var entry = Volatile.Read(ref _slots[Hash(utf8) & (_slots.Length - 1)]);
        value = entry is not null && utf8.SequenceEqual(entry.Utf8) ? entry.Value : null;
        return value is not null;
    }

    /// <summary>Stores <paramref name="value"/> under <paramref name="utf8"/>, in place of whatever its slot held.</summary>
    public void Set(ReadOnlySpan<byte> utf8, T value) =>
        Volatile.Write(ref _slots[Hash(utf8) & (_slots.Length - 1)], new Entry(value, utf8.ToArray()));

    // Length and the first and last eight bytes: constant time for any value, and enough to tell apart the handful of
    // values that repeat (a collision only costs a read). HashCode is seeded per process.
    private static int Hash(ReadOnlySpan<byte> utf8)
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

    private sealed class Entry(T value, byte[] utf8)
    {
        public T Value { get; } = value;

        public byte[] Utf8 { get; } = utf8;
    }
}
