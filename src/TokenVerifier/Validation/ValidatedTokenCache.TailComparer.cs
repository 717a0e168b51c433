using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace TokenVerifier.Validation;

// How tokens are kept, hashed and compared: keys are the token's ASCII bytes, the hash reads only the signature at the
// tail, equality the whole token.
internal sealed partial class ValidatedTokenCache
{
    /// <summary>
    /// <paramref name="token"/> as ASCII bytes, half its UTF-16 size; null when it is not ASCII. A validated token is
    /// base64url and dots only, so null means a token that must never be cached.
    /// </summary>
    private static byte[]? KeyOf(ReadOnlySpan<char> token)
    {
        var key = GC.AllocateUninitializedArray<byte>(token.Length);
        return Ascii.FromUtf16(token, key, out _) == OperationStatus.Done ? key : null;
    }

    // Equality is on the whole token; only the bucket comes from the tail. A hash collision costs one comparison of the
    // request's characters with the key's bytes, which fails on any non-ASCII character (never a byte of its low half).
    private sealed class TailComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<char>, byte[]>
    {
        public static readonly TailComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

        // Hashed as the characters the key was made from, so that a key and a request's equal token share a bucket; keys
        // are hashed only when added or when the table grows, lookups hash the request's characters directly.
        public int GetHashCode(byte[] obj)
        {
            Span<char> tail = stackalloc char[HashedTailLength];
            Ascii.ToUtf16(obj.AsSpan(Math.Max(0, obj.Length - HashedTailLength)), tail, out var written);
            return GetHashCode(tail[..written]);
        }

        public bool Equals(ReadOnlySpan<char> alternate, byte[] other) => AsciiEquals(other, alternate);

        public int GetHashCode(ReadOnlySpan<char> alternate) =>
            string.GetHashCode(alternate[Math.Max(0, alternate.Length - HashedTailLength)..], StringComparison.Ordinal);

        public byte[] Create(ReadOnlySpan<char> alternate) =>
            KeyOf(alternate) ?? throw new ArgumentException("Only an ASCII token can be a key.", nameof(alternate));

        // Every hit runs this over the whole token. Ascii.Equals checks each block of both sides for non-ASCII and took
        // 1.6 times as long as comparing two strings (60 ns more for the benchmark token, a fifth of a hit); the key is
        // ASCII by construction, so comparing its zero-extended bytes with the characters is enough (a character above
        // 0x7F can equal no byte of the key), and 64 characters a round with one test keep pace with the string comparison.
        private static bool AsciiEquals(ReadOnlySpan<byte> key, ReadOnlySpan<char> token)
        {
            const int Block = 64;
            if (key.Length != token.Length)
            {
                return false;
            }

            if (!Avx2.IsSupported || key.Length < Block)
            {
                return Ascii.Equals(key, token);
            }

            ref var bytes = ref MemoryMarshal.GetReference(key);
            ref var chars = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(token));
            var last = (nuint)(key.Length - Block);
            for (nuint i = 0; ; i += Block)
            {
                // The last round overlaps the one before rather than leaving a remainder.
                i = Math.Min(i, last);
                var difference = (Widen(ref bytes, i) ^ Vector256.LoadUnsafe(ref chars, i))
                    | (Widen(ref bytes, i + 16) ^ Vector256.LoadUnsafe(ref chars, i + 16))
                    | (Widen(ref bytes, i + 32) ^ Vector256.LoadUnsafe(ref chars, i + 32))
                    | (Widen(ref bytes, i + 48) ^ Vector256.LoadUnsafe(ref chars, i + 48));
                if (difference != Vector256<ushort>.Zero)
                {
                    return false;
                }

                if (i == last)
                {
                    return true;
                }
            }
        }

        private static Vector256<ushort> Widen(ref byte bytes, nuint offset) =>
            Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref bytes, offset)).AsUInt16();
    }
}
