using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text;
using TokenVerifier.Claims;

namespace TokenVerifier.Validation;

/// <summary>
/// Reads a compact JWS strictly, in two steps so that a forged token costs little: <see cref="TryRead(ReadOnlySpan{char}, int, out ParsedJwt, out string)"/> before the
/// issuer, key and signature are checked (the shape, the header in full, and a scan of the payload for <c>iss</c>), and
/// <see cref="TryReadClaims(ReadOnlySpan{char}, ParsedJwt)"/> after the signature has verified (the payload in full, and its claims). Reads values
/// but decides nothing about trust.
/// </summary>
internal static class JwtReader
{
    private const int StackHeaderBytes = 256;

    /// <summary>
    /// Members whose places the issuer scan records for the claims (a Cognito token has 14 to 30); a payload with more
    /// has its claims read by the reader instead.
    /// </summary>
    public const int MaxScannedMembers = 64;

    private const int MembersBytes = MaxScannedMembers * IssuerScan.NumbersPerMember * sizeof(int);

    /// <summary>
    /// The token's shape (<see cref="CompactJws"/>), its header (<see cref="JwsHeaderReader"/>) and its issuer
    /// (<see cref="IssuerScan"/>). The claims are not read yet.
    /// </summary>
    public static TokenFailure TryRead(ReadOnlySpan<char> token, int maxLength, out ParsedJwt? jwt, out string? error)
    {
        var failure = TryRead(token, maxLength, out jwt, out var payload, out error);
        if (payload is not null)
        {
            ArrayPool<byte>.Shared.Return(payload);
        }

        return failure;
    }

    /// <summary>
    /// As <see cref="TryRead(ReadOnlySpan{char}, int, out ParsedJwt, out string)"/>, and keeps what the signature and the
    /// claims need, in an array of <see cref="ArrayPool{T}.Shared"/> the caller returns (null when the token was refused):
    /// the signing input as ASCII in its first <see cref="ParsedJwt.SignedLength"/> bytes, then the decoded payload's
    /// <see cref="ParsedJwt.PayloadLength"/> bytes, then where the payload's members lie (<see cref="Members"/>), for
    /// <see cref="TryReadClaims(ReadOnlySpan{byte}, ReadOnlySpan{int}, ParsedJwt)"/>.
    /// </summary>
    public static TokenFailure TryRead(ReadOnlySpan<char> token, int maxLength, out ParsedJwt? jwt, out byte[]? buffer, out string? error)
    {
        jwt = null;
        buffer = null;
        if (!CompactJws.TryFindSegments(token, maxLength, out var firstDot, out var lastDot))
        {
            return SplitFailure(token, maxLength, out error);
        }

        // The signing input is narrowed once, for the signature, and the payload decoded from those bytes: the decoder
        // refuses every byte outside base64url (a dot too), and whitespace or padding, which it would skip, shows as
        // bytes missing from the length unpadded base64url of this many characters decodes to (the maximum, exactly).
        // So the payload's characters are checked in the pass that decodes them.
        var decodedLength = Base64Url.GetMaxDecodedLength(lastDot - firstDot - 1);
        var rented = ArrayPool<byte>.Shared.Rent(MembersOffset(lastDot, decodedLength) + MembersBytes);
        var signingInput = rented.AsSpan(0, lastDot);
        if (Ascii.FromUtf16(token[..lastDot], signingInput, out _) != OperationStatus.Done
            || Base64Url.DecodeFromUtf8(signingInput[(firstDot + 1)..], rented.AsSpan(lastDot), out _, out var decoded) != OperationStatus.Done
            || decoded != decodedLength)
        {
            ArrayPool<byte>.Shared.Return(rented);
            return SplitFailure(token, maxLength, out error);
        }

        var failure = TryReadHeader(token, firstDot, lastDot, out jwt, out error);
        if (failure == TokenFailure.None)
        {
            jwt!.PayloadLength = decoded;
            var members = MemoryMarshal.Cast<byte, int>(rented.AsSpan(MembersOffset(lastDot, decoded), MembersBytes));
            if (IssuerScan.TryRead(rented.AsSpan(lastDot, decoded), jwt, members))
            {
                buffer = rented;
                return TokenFailure.None;
            }

            // Refused before anything kept it: the thread's next token takes it.
            ParsedJwt.Return(jwt!);
            jwt = null;
            error = "The token payload is not a single JSON object with at most one 'iss'.";
            failure = TokenFailure.Malformed;
        }

        ArrayPool<byte>.Shared.Return(rented);
        return failure;
    }

    /// <summary>The signing input a token's <see cref="TryRead(ReadOnlySpan{char}, int, out ParsedJwt, out byte[], out string)"/> buffer holds.</summary>
    public static ReadOnlySpan<byte> SigningInput(byte[] buffer, ParsedJwt jwt) => buffer.AsSpan(0, jwt.SignedLength);

    /// <summary>The decoded payload a token's <see cref="TryRead(ReadOnlySpan{char}, int, out ParsedJwt, out byte[], out string)"/> buffer holds.</summary>
    public static ReadOnlySpan<byte> Payload(byte[] buffer, ParsedJwt jwt) => buffer.AsSpan(jwt.SignedLength, jwt.PayloadLength);

    /// <summary>
    /// Where the members of the payload a token's <see cref="TryRead(ReadOnlySpan{char}, int, out ParsedJwt, out byte[], out string)"/>
    /// buffer holds lie, as <see cref="IssuerScan"/> recorded them; empty when it recorded none.
    /// </summary>
    public static ReadOnlySpan<int> Members(byte[] buffer, ParsedJwt jwt) => jwt.ScannedMembers <= 0
        ? default
        : MemoryMarshal.Cast<byte, int>(buffer.AsSpan(MembersOffset(jwt.SignedLength, jwt.PayloadLength), jwt.ScannedMembers * IssuerScan.NumbersPerMember * sizeof(int)));

    // After the signing input and the payload, at a multiple of four.
    private static int MembersOffset(int signedLength, int payloadLength) => (signedLength + payloadLength + 3) & ~3;

    /// <summary>
    /// For JWS test vectors, whose payloads are arbitrary bytes (even none) rather than a claims set: the shape and the
    /// header; the payload segment is checked as canonical base64url but not decoded.
    /// </summary>
    public static TokenFailure TryReadJws(ReadOnlySpan<char> token, int maxLength, out ParsedJwt? jwt) =>
        TryReadHeader(token, maxLength, payloadRequired: false, out jwt, out _);

    /// <summary>
    /// The payload of a token <see cref="TryRead(ReadOnlySpan{char}, int, out ParsedJwt, out string)"/> accepted, in full (<see cref="ClaimsReader"/>): false when it is not
    /// exactly one claims set, and no claim may be trusted.
    /// </summary>
    public static bool TryReadClaims(ReadOnlySpan<char> token, ParsedJwt jwt) => TryDecode(token, jwt, ClaimsReader.TryRead);

    /// <summary>
    /// As <see cref="TryReadClaims(ReadOnlySpan{char}, ParsedJwt)"/>, from the payload the <see cref="TryRead(ReadOnlySpan{char}, int, out ParsedJwt, out byte[], out string)"/> overload that keeps it
    /// decoded and scanned: not decoded again, and its UTF-8 and outer braces, which the scan checked, not checked again;
    /// read from where the scan found its <paramref name="members"/> (<see cref="Members"/>) when it recorded them.
    /// </summary>
    public static bool TryReadClaims(ReadOnlySpan<byte> scannedPayload, ReadOnlySpan<int> members, ParsedJwt jwt) =>
        ClaimsReader.TryReadScanned(scannedPayload, members, jwt);

    /// <summary>
    /// Every claim of a token that passed validation (<see cref="TryReadClaims(ReadOnlySpan{char}, ParsedJwt)"/> accepted its payload), in order: the
    /// identity's claims, read again from the token on first need instead of kept with it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The token was never accepted.</exception>
    public static ClaimData[] ReadClaims(string token)
    {
        var payload = token.AsSpan(token.IndexOf('.', StringComparison.Ordinal) + 1);
        payload = payload[..payload.IndexOf('.')];
        var buffer = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(payload.Length));
        try
        {
            var written = Base64Url.DecodeFromChars(payload, buffer);
            return ClaimsReader.Collect(buffer.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>As <see cref="ReadClaims(string)"/>, for the token as ASCII bytes (a cached token's form).</summary>
    /// <exception cref="InvalidOperationException">The token was never accepted.</exception>
    public static ClaimData[] ReadClaims(ReadOnlySpan<byte> token)
    {
        var payload = token[(token.IndexOf((byte)'.') + 1)..];
        payload = payload[..payload.IndexOf((byte)'.')];
        var buffer = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(payload.Length));
        try
        {
            var written = Base64Url.DecodeFromUtf8(payload, buffer);
            return ClaimsReader.Collect(buffer.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Decodes the signature segment; false when it is not canonical or does not fit.</summary>
    public static bool TryDecodeSignature(ReadOnlySpan<char> segment, Span<byte> destination, out int written)
    {
        written = 0;
        return !segment.IsEmpty
            && Base64Url.GetMaxDecodedLength(segment.Length) <= destination.Length
            && Base64Url.TryDecodeFromChars(segment, destination, out written);
    }

    private static TokenFailure TryReadHeader(ReadOnlySpan<char> token, int maxLength, bool payloadRequired, out ParsedJwt? jwt, out string? error)
    {
        jwt = null;
        var failure = CompactJws.TrySplit(token, maxLength, payloadRequired, out var firstDot, out var secondDot, out error);
        return failure != TokenFailure.None ? failure : TryReadHeader(token, firstDot, secondDot, out jwt, out error);
    }

    // Why a token the fast split or the payload's decoding refused is malformed, in the words of the full split. It
    // refuses every such token; should it not, the payload is what failed to decode.
    private static TokenFailure SplitFailure(ReadOnlySpan<char> token, int maxLength, out string? error)
    {
        var failure = CompactJws.TrySplit(token, maxLength, payloadRequired: true, out _, out _, out error);
        if (failure != TokenFailure.None)
        {
            return failure;
        }

        error = "The token has a segment that is not canonical base64url.";
        return TokenFailure.Malformed;
    }

    private static TokenFailure TryReadHeader(ReadOnlySpan<char> token, int firstDot, int secondDot, out ParsedJwt? jwt, out string? error)
    {
        jwt = null;
        error = null;
        var parsed = ParsedJwt.Rent(firstDot + 1, secondDot);
        var header = token[..firstDot];
        if (KnownHeaders.TryRead(header, parsed))
        {
            jwt = parsed;
            return TokenFailure.None;
        }

        // A Cognito header decodes to about 70 bytes: the stack holds it, and only a long header rents.
        var decodedLength = Base64Url.GetMaxDecodedLength(header.Length);
        byte[]? rented = null;
        var buffer = decodedLength <= StackHeaderBytes ? stackalloc byte[StackHeaderBytes] : (rented = ArrayPool<byte>.Shared.Rent(decodedLength));
        try
        {
            var written = Base64Url.DecodeFromChars(header, buffer);
            if (!JwsHeaderReader.TryRead(buffer[..written], parsed))
            {
                ParsedJwt.Return(parsed);
                error = "The token header is not a single JSON object with unique members.";
                return TokenFailure.Malformed;
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        jwt = parsed;
        return TokenFailure.None;
    }

    // When a key fetch comes between the scan and the claims, the payload is decoded again rather than kept across it:
    // decoding a kilobyte costs less than holding a pooled buffer for the length of a fetch.
    private static bool TryDecode(ReadOnlySpan<char> token, ParsedJwt jwt, PayloadReader read)
    {
        var payload = token.Slice(jwt.PayloadStart, jwt.SignedLength - jwt.PayloadStart);
        var buffer = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(payload.Length));
        try
        {
            var written = Base64Url.DecodeFromChars(payload, buffer);
            return read(buffer.AsSpan(0, written), jwt);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private delegate bool PayloadReader(ReadOnlySpan<byte> json, ParsedJwt jwt);
}
