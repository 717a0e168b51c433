using System.Runtime.InteropServices;

namespace TokenVerifier.Validation;

/// <summary>
/// The headers of tokens that validated, so that the next token with the same header skips decoding and reading it:
/// every token a key signs carries the same header, character for character. Only a validated token's header goes in,
/// so a flood of forged headers never displaces a real one nor costs memory; a header is served from here only when its
/// characters equal the remembered ones, which decode to the same JSON, so the result is the reader's own. A fixed table,
/// one slot per hash, overwritten on a collision: bounded whatever keys the pools publish.
/// </summary>
internal static class KnownHeaders
{
    private const int Slots = 512;

    // Cognito's headers are about 100 characters; anything much longer is not worth a slot.
    private const int MaxHeaderChars = 512;

    private static readonly Entry?[] Table = new Entry?[Slots];

    /// <summary>Fills the header fields of <paramref name="jwt"/> from a remembered header equal to <paramref name="header"/>.</summary>
    /// <returns>False when the header is not remembered (read it).</returns>
    public static bool TryRead(ReadOnlySpan<char> header, ParsedJwt jwt)
    {
        if (header.Length > MaxHeaderChars)
        {
            return false;
        }

        var entry = Volatile.Read(ref Table[Slot(header)]);
        if (entry is null || !header.SequenceEqual(entry.Header))
        {
            return false;
        }

        jwt.Algorithm = entry.Algorithm;
        jwt.AlgorithmIsString = true;
        jwt.KeyId = entry.KeyId;
        jwt.HasCritical = false;
        jwt.HeaderRemembered = true;
        return true;
    }

    /// <summary>Remembers the header of a token that has just validated, as the reader read it into <paramref name="jwt"/>.</summary>
    public static void Remember(ReadOnlySpan<char> header, ParsedJwt jwt)
    {
        // A validated token's header always has a string alg and kid and no crit; anything else is not remembered.
        if (jwt.HeaderRemembered || header.Length > MaxHeaderChars || jwt.HasCritical || !jwt.AlgorithmIsString || jwt.Algorithm is null || jwt.KeyId is null)
        {
            return;
        }

        ref var slot = ref Table[Slot(header)];
        var entry = Volatile.Read(ref slot);
        if (entry is null || !header.SequenceEqual(entry.Header))
        {
            Volatile.Write(ref slot, new Entry(header.ToString(), jwt.Algorithm, jwt.KeyId));
        }
    }

    /// <summary>True when <paramref name="header"/> is remembered (for tests).</summary>
    internal static bool Contains(ReadOnlySpan<char> header) =>
        header.Length <= MaxHeaderChars && Volatile.Read(ref Table[Slot(header)]) is { } entry && header.SequenceEqual(entry.Header);

    // Headers of one issuer differ in their kid, which sits in the middle: two words from there and the length.
    private static int Slot(ReadOnlySpan<char> header)
    {
        var bytes = MemoryMarshal.AsBytes(header);
        var hash = bytes.Length >= 4 * sizeof(ulong)
            ? HashCode.Combine(header.Length, MemoryMarshal.Read<ulong>(bytes[(bytes.Length / 4)..]), MemoryMarshal.Read<ulong>(bytes[(bytes.Length / 2)..]))
            : string.GetHashCode(header);
        return hash & (Slots - 1);
    }

    private sealed record Entry(string Header, string Algorithm, string KeyId);
}
