using System.Collections.ObjectModel;

namespace TokenVerifier.Validation;

/// <summary>
/// Reuses the scope lists of scope claims that repeat from token to token (an app client is granted the same scopes at
/// every sign-in), so reading a token neither splits its scope claim again nor allocates a list for it. A fixed table,
/// one slot per hash (<see cref="Utf8Table{T}"/>): memory stays bounded whatever tokens arrive, and a list is reused
/// only after a byte-for-byte comparison. Each list is read-only, so every token with the same claim shares it.
/// </summary>
internal static class InternedScopes
{
    private const int MaxClaimBytes = 1024;

    private static readonly Utf8Table<ReadOnlyCollection<string>> Table = new(256);

    /// <summary>The scopes of a scope claim's unescaped UTF-8, split at spaces (runs of spaces separate nothing), each interned.</summary>
    /// <exception cref="InvalidOperationException">The bytes are not valid UTF-8.</exception>
    public static ReadOnlyCollection<string> Get(ReadOnlySpan<byte> utf8) =>
        utf8.Length > MaxClaimBytes ? Split(utf8) : Table.GetOrAdd(utf8, Split);

    private static ReadOnlyCollection<string> Split(ReadOnlySpan<byte> utf8)
    {
        var scopes = new string[Count(utf8)];
        var count = 0;
        foreach (var range in utf8.Split((byte)' '))
        {
            if (range.End.Value > range.Start.Value)
            {
                scopes[count++] = InternedStrings.Get(utf8[range]);
            }
        }

        return Array.AsReadOnly(scopes);
    }

    private static int Count(ReadOnlySpan<byte> utf8)
    {
        var count = 0;
        var inScope = false;
        foreach (var b in utf8)
        {
            count += !inScope && b != (byte)' ' ? 1 : 0;
            inScope = b != (byte)' ';
        }

        return count;
    }
}
