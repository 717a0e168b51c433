using System.Buffers;
using System.Buffers.Text;
using System.Text;
using TokenVerifier.Keys;

namespace TokenVerifier.Validation;

// RS256 over the signing input, for tokens and for the JWS test vectors that share every step up to it.
public sealed partial class UserPoolTokenValidator
{
    // Covers RSA moduli up to 8192 bits without touching the heap.
    private const int MaxSignatureBytes = 1024;
    private const int StackSigningInput = 2048;

    // signingInput: the token's first signedLength characters as ASCII where the reader kept them, or empty.
    private static bool VerifySignature(ReadOnlySpan<char> token, int signedLength, ReadOnlySpan<byte> signingInput, RsaSigningKey key)
    {
        // Sized to what this token needs: stackalloc zeroes what it reserves, and the bounds stay the same.
        var segment = token[(signedLength + 1)..];
        Span<byte> signature = stackalloc byte[Math.Min(MaxSignatureBytes, Base64Url.GetMaxDecodedLength(segment.Length))];
        if (!JwtReader.TryDecodeSignature(segment, signature, out var signatureLength))
        {
            return false;
        }

        if (!signingInput.IsEmpty)
        {
            return key.Verify(signingInput, signature[..signatureLength]);
        }

        byte[]? rented = null;
        var signedData = signedLength <= StackSigningInput
            ? stackalloc byte[signedLength]
            : (rented = ArrayPool<byte>.Shared.Rent(signedLength));
        try
        {
            // The reader admitted only base64url characters and dots, so ASCII encoding is exact.
            var written = Encoding.ASCII.GetBytes(token[..signedLength], signedData);
            return key.Verify(signedData[..written], signature[..signatureLength]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// For JWS test vectors (Wycheproof, RFC 7520), which sign arbitrary payloads rather than claims sets: the steps of
    /// <see cref="ValidateAsync(string, CancellationToken)"/> up to and including the signature (reader, <c>alg</c>, <c>kid</c>, <c>crit</c>, key
    /// cache, RS256), with the first pool's keys standing in for the issuer lookup and no claim checks.
    /// </summary>
    internal async ValueTask<TokenFailure> VerifyJwsAsync(string jws, CancellationToken cancellationToken = default)
    {
        var failure = JwtReader.TryReadJws(jws, _maxTokenLength, out var jwt);
        failure = failure != TokenFailure.None ? failure
            : !string.Equals(jwt!.Algorithm, RequiredAlgorithm, StringComparison.Ordinal) ? TokenFailure.UnsupportedAlgorithm
            : string.IsNullOrEmpty(jwt.KeyId) ? TokenFailure.MissingKeyId
            : jwt.HasCritical ? TokenFailure.UnsupportedHeader
            : TokenFailure.None;
        if (failure != TokenFailure.None)
        {
            return failure;
        }

        var (key, keyFailure, _) = await KeyCaches[0].ResolveAsync(jwt!.KeyId!, cancellationToken);
        return key is null ? keyFailure
            : VerifySignature(jws, jwt.SignedLength, signingInput: default, key) ? TokenFailure.None
            : TokenFailure.InvalidSignature;
    }
}
