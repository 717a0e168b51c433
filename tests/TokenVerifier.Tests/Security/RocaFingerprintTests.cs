using System.Numerics;
using System.Security.Cryptography;
using TokenVerifier.Keys;

namespace TokenVerifier.Tests.Security;

public sealed class RocaFingerprintTests
{
    private static readonly int[] SmallPrimes = [3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167];

    [Fact]
    public void A_modulus_built_like_the_flawed_library_builds_its_primes_is_detected()
    {
        // Each factor is k·M + (65537^a mod M), M the primorial of the small primes: then n is a power of 65537 modulo
        // every one of them, the structure that makes such keys factorable.
        var m = SmallPrimes.Aggregate(BigInteger.One, (product, p) => product * p);
        var p = (new BigInteger(RandomNumberGenerator.GetBytes(64), isUnsigned: true) * m) + BigInteger.ModPow(65537, 123_456, m);
        var q = (new BigInteger(RandomNumberGenerator.GetBytes(64), isUnsigned: true) * m) + BigInteger.ModPow(65537, 654_321, m);
        var n = p * q;

        Assert.True(RocaFingerprint.IsPresent(n.ToByteArray(isUnsigned: true, isBigEndian: true)));
        Assert.False(RocaFingerprint.IsPresent((n + 2).ToByteArray(isUnsigned: true, isBigEndian: true)));
    }

    [Fact]
    public void Freshly_generated_keys_are_not_flagged()
    {
        for (var i = 0; i < 2; i++)
        {
            using var rsa = RSA.Create(2048);
            Assert.False(RocaFingerprint.IsPresent(rsa.ExportParameters(false).Modulus));
        }
    }

    [Theory]
    [InlineData(new byte[] { 1 }, true)]
    [InlineData(new byte[] { 0, 0, 1 }, true)]
    [InlineData(new byte[] { 2 }, false)]
    public void Residues_are_read_from_big_endian_bytes(byte[] value, bool expected) =>
        Assert.Equal(expected, RocaFingerprint.IsPresent(value)); // 1 = 65537^0 modulo every prime; 2 is not a power mod 11
}
