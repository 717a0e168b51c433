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

    /// <summary>
    /// The value stored under exactly <paramref name="utf8"/>, or <paramref name="read"/>'s reading of it, stored for
    /// next time. Nothing is stored when <paramref name="read"/> throws.
    /// </summary>
    public T GetOrAdd(ReadOnlySpan<byte> utf8, Reader read)
    {
        if (TryGet(utf8, out var value))
        {
            return value;
        }

        value = read(utf8);
        Set(utf8, value);
        return value;
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

    /// <summary>What a value is made from its bytes with, when the table does not hold it.</summary>
    public delegate T Reader(ReadOnlySpan<byte> utf8);

    private sealed class Entry(T value, byte[] utf8)
    {
        public T Value { get; } = value;

        public byte[] Utf8 { get; } = utf8;
    }
}
