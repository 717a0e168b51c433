using System.Security.Cryptography;

namespace TokenVerifier.Keys;

/// <summary>One accepted RS256 key, converted to <see cref="RSA"/> once and shared by all verifications (RSA verification is thread-safe).</summary>
internal sealed class RsaSigningKey(string keyId, RSA rsa, int modulusBytes)
{
    public string KeyId { get; } = keyId;

    public int ModulusBytes { get; } = modulusBytes;

    public bool Verify(ReadOnlySpan<byte> signedData, ReadOnlySpan<byte> signature) =>
        signature.Length == ModulusBytes && rsa.VerifyData(signedData, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
}
