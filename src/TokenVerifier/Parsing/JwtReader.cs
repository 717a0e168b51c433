using System.Buffers;
using System.Buffers.Text;

namespace TokenVerifier.Validation;

/// <summary>
/// Parses a compact JWS strictly: three non-empty canonical base64url segments, header and payload single JSON objects
/// without duplicate members. Reads values but decides nothing about trust.
/// </summary>
internal static class JwtReader
{
    // readPayload is false only for JWS test vectors, whose payloads are arbitrary bytes (even none) rather than a claims
    // set: the payload segment is then checked as canonical base64url but not decoded.
    public static TokenFailure TryRead(string? token, int maxLength, out ParsedJwt? jwt, out string? error, bool readPayload = true)
    {
        jwt = null;
        var failure = CompactJws.TrySplit(token, maxLength, readPayload, out var firstDot, out var secondDot, out error);
        if (failure != TokenFailure.None)
        {
            return failure;
        }

        var header = token.AsSpan(0, firstDot);
        var payload = token.AsSpan(firstDot + 1, secondDot - firstDot - 1);
        var parsed = new ParsedJwt { SignedLength = secondDot };
        var buffer = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(Math.Max(header.Length, payload.Length)));
        try
        {
            var written = Base64Url.DecodeFromChars(header, buffer);
            if (!JwsHeaderReader.TryRead(buffer.AsSpan(0, written), parsed))
            {
                error = "The token header is not a single JSON object with unique members.";
                return TokenFailure.Malformed;
            }

            written = readPayload ? Base64Url.DecodeFromChars(payload, buffer) : 0;
            if (readPayload && !ClaimsReader.TryRead(buffer.AsSpan(0, written), parsed))
            {
                error = "The token payload is not a single JSON object with unique members.";
                return TokenFailure.Malformed;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        jwt = parsed;
        error = null;
        return TokenFailure.None;
    }

    /// <summary>Decodes the signature segment; false when it is not canonical or does not fit.</summary>
    public static bool TryDecodeSignature(ReadOnlySpan<char> segment, Span<byte> destination, out int written)
    {
        written = 0;
        return !segment.IsEmpty
            && Base64Url.GetMaxDecodedLength(segment.Length) <= destination.Length
            && Base64Url.TryDecodeFromChars(segment, destination, out written);
    }
}
