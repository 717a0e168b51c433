namespace TokenVerifier.Validation;

// How tokens are hashed and compared: the hash reads only the signature at the tail, equality the whole token.
internal sealed partial class ValidatedTokenCache
{
    // Equality is on the whole token; only the bucket comes from the tail. A hash collision costs one string comparison.
    private sealed class TailComparer : IEqualityComparer<string>, IAlternateEqualityComparer<ReadOnlySpan<char>, string>
    {
        public static readonly TailComparer Instance = new();

        public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

        public int GetHashCode(string obj) => GetHashCode(obj.AsSpan());

        public bool Equals(ReadOnlySpan<char> alternate, string other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<char> alternate) =>
            string.GetHashCode(alternate[Math.Max(0, alternate.Length - HashedTailLength)..], StringComparison.Ordinal);

        public string Create(ReadOnlySpan<char> alternate) => alternate.ToString();
    }
}
