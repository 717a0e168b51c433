using System.Buffers;
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

        public bool Equals(ReadOnlySpan<char> alternate, byte[] other) => Ascii.Equals(other, alternate);

        public int GetHashCode(ReadOnlySpan<char> alternate) =>
            string.GetHashCode(alternate[Math.Max(0, alternate.Length - HashedTailLength)..], StringComparison.Ordinal);

        public byte[] Create(ReadOnlySpan<char> alternate) =>
            KeyOf(alternate) ?? throw new ArgumentException("Only an ASCII token can be a key.", nameof(alternate));
    }
}
