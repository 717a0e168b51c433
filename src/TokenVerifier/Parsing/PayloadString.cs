using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace TokenVerifier.Validation;

/// <summary>
/// Where a string claim's characters lie in the decoded payload: a per-token value (<c>sub</c>, <c>jti</c>,
/// <c>origin_jti</c>, the user name) is made into a string only when something asks for it, read again from the token's
/// compact form then, instead of on every validation. Only for values the issuer scan accepted with no escape in the
/// payload, so the bytes are the value's UTF-8 exactly.
/// </summary>
/// <param name="Start">The first byte after the opening quote; 0 when unset (a payload's first byte is its brace).</param>
/// <param name="Length">Bytes up to the closing quote.</param>
internal readonly record struct PayloadString(int Start, int Length)
{
    private const int StackBytes = 256;

    /// <summary>True when a value was recorded.</summary>
    public bool IsSet => Start > 0;

    /// <summary>The value, from the decoded payload it was recorded in.</summary>
    public string FromPayload(ReadOnlySpan<byte> payload) => Encoding.UTF8.GetString(payload.Slice(Start, Length));

    /// <summary>The value, from the compact token (the payload segment is decoded only around it).</summary>
    public string FromToken(ReadOnlySpan<char> token)
    {
        var payload = token[(token.IndexOf('.') + 1)..];
        payload = payload[..payload.IndexOf('.')];
        var (first, last, skip) = Blocks(payload.Length);
        return Decode(payload[first..last], skip, static (chars, bytes) => Base64Url.DecodeFromChars(chars, bytes));
    }

    /// <summary>As <see cref="FromToken(ReadOnlySpan{char})"/>, for the token as ASCII bytes (a cached token's form).</summary>
    public string FromToken(ReadOnlySpan<byte> token)
    {
        var payload = token[(token.IndexOf((byte)'.') + 1)..];
        payload = payload[..payload.IndexOf((byte)'.')];
        var (first, last, skip) = Blocks(payload.Length);
        return Decode(payload[first..last], skip, static (chars, bytes) => Base64Url.DecodeFromUtf8(chars, bytes));
    }

    // Every 4 characters of base64url make 3 bytes: the value's bytes lie in the blocks from the one holding Start to the
    // one holding its last byte; the last block of the segment may be short (unpadded).
    private (int First, int Last, int Skip) Blocks(int segmentLength) =>
        (Start / 3 * 4, Math.Min(segmentLength, (Start + Length + 2) / 3 * 4), Start % 3);

    private string Decode<T>(ReadOnlySpan<T> characters, int skip, Decoder<T> decode)
    {
        var needed = Base64Url.GetMaxDecodedLength(characters.Length);
        byte[]? rented = null;
        var bytes = needed <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(needed));
        try
        {
            var written = decode(characters, bytes);
            return Encoding.UTF8.GetString(bytes[skip..written].Slice(0, Length));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private delegate int Decoder<T>(ReadOnlySpan<T> characters, Span<byte> bytes);
}
