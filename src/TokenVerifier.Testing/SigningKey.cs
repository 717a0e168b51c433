using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TokenVerifier.Testing;

/// <summary>One RSA key pair of a <see cref="LocalUserPool"/>, with the kid it is published under.</summary>
internal sealed class SigningKey : IDisposable
{
    // RSA instance members are not documented as thread-safe, and tests mint from many threads.
    private readonly Lock _gate = new();
    private readonly RSA _rsa;
    private bool _disposed;

    // Per thread, so tests running in parallel do not count each other's keys.
    [ThreadStatic]
    private static int t_generated;

    public SigningKey(string keyId, int keySizeInBits)
    {
        t_generated++;
        KeyId = keyId;
        try
        {
            _rsa = RSA.Create(keySizeInBits);
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentOutOfRangeException(nameof(keySizeInBits), keySizeInBits, $"The platform cannot create an RSA key of {keySizeInBits} bits: {ex.Message}");
        }

        PublicKey = _rsa.ExportParameters(includePrivateParameters: false);
    }

    /// <summary>Signs with a copy of a key pair kept elsewhere (a developer's user secrets); the caller keeps its own.</summary>
    public SigningKey(string keyId, RSAParameters privateKey)
    {
        KeyId = keyId;
        _rsa = RSA.Create(privateKey);
        PublicKey = _rsa.ExportParameters(includePrivateParameters: false);
    }

    /// <summary>How many key pairs this thread has generated (for tests of what generates one).</summary>
    internal static int GeneratedOnThisThread => t_generated;

    public string KeyId { get; }

    public RSAParameters PublicKey { get; }

    /// <summary>A kid shaped like Cognito's: standard Base64 of 32 random bytes, padding included.</summary>
    public static string NewKeyId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Returns <c>base64url(header).base64url(payload).base64url(signature)</c>; the signing input is
    /// built once as ASCII bytes so the signed bytes are exactly the bytes of the token.
    /// </summary>
    public string Sign(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        int headerLength = Base64Url.GetEncodedLength(header.Length);
        int payloadLength = Base64Url.GetEncodedLength(payload.Length);
        int signingInputLength = headerLength + 1 + payloadLength;
        int signatureLength = Base64Url.GetEncodedLength(_rsa.KeySize / 8);
        byte[] rented = ArrayPool<byte>.Shared.Rent(signingInputLength + 1 + signatureLength);
        try
        {
            Span<byte> buffer = rented;
            Base64Url.EncodeToUtf8(header, buffer[..headerLength]);
            buffer[headerLength] = (byte)'.';
            Base64Url.EncodeToUtf8(payload, buffer.Slice(headerLength + 1, payloadLength));
            Span<byte> signingInput = buffer[..signingInputLength];

            byte[] signature;
            lock (_gate)
            {
                if (_disposed)
                {
                    throw new InvalidOperationException($"The key '{KeyId}' was removed from the pool, or the pool was disposed, so it can no longer sign.");
                }

                signature = _rsa.SignData(signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }

            buffer[signingInputLength] = (byte)'.';
            int written = Base64Url.EncodeToUtf8(signature, buffer[(signingInputLength + 1)..]);
            return Encoding.ASCII.GetString(buffer[..(signingInputLength + 1 + written)]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Writes the public JWK; verifiers must not depend on member order, so none is promised.</summary>
    public void WriteJwk(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("kty", "RSA");
        writer.WriteString("kid", KeyId);
        writer.WriteString("use", "sig");
        writer.WriteString("alg", "RS256");
        writer.WriteString("n", Base64Url.EncodeToString(TrimLeadingZeros(PublicKey.Modulus!)));
        writer.WriteString("e", Base64Url.EncodeToString(TrimLeadingZeros(PublicKey.Exponent!)));
        writer.WriteEndObject();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                _rsa.Dispose();
            }
        }
    }

    // RFC 7518 §6.3.1: n and e are unsigned big-endian integers in their minimal octet form.
    private static ReadOnlySpan<byte> TrimLeadingZeros(byte[] value)
    {
        ReadOnlySpan<byte> span = value;
        while (span.Length > 1 && span[0] == 0)
        {
            span = span[1..];
        }

        return span;
    }
}
