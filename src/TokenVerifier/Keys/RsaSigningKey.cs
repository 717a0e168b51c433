using System.Security.Cryptography;

namespace TokenVerifier.Keys;

/// <summary>
/// One accepted RS256 key, converted to <see cref="RSA"/> once and shared by all verifications (RSA verification is
/// thread-safe). The instance is the key's identity: a refresh that publishes the same material under the same kid keeps
/// the instance, so whatever was verified with it can tell by reference whether its key is still the published one.
/// </summary>
internal sealed class RsaSigningKey(string keyId, RSA rsa, byte[] modulus, byte[] exponent)
{
    // Kept to compare a refreshed key with the one it follows; read only on refresh, never per token.
    private readonly byte[] _modulus = modulus;
    private readonly byte[] _exponent = exponent;

    public string KeyId { get; } = keyId;

    public int ModulusBytes => _modulus.Length;

    public bool Verify(ReadOnlySpan<byte> signedData, ReadOnlySpan<byte> signature) =>
        signature.Length == ModulusBytes && rsa.VerifyData(signedData, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <summary>True when <paramref name="other"/> has the same kid, modulus and exponent (both are stored without leading zeros).</summary>
    public bool HasSameMaterial(RsaSigningKey other) =>
        string.Equals(KeyId, other.KeyId, StringComparison.Ordinal)
        && _modulus.AsSpan().SequenceEqual(other._modulus)
        && _exponent.AsSpan().SequenceEqual(other._exponent);
}
