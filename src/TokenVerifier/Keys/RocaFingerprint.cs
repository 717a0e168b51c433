namespace TokenVerifier.Keys;

/// <summary>
/// Detects RSA moduli made by the Infineon library flawed by ROCA (CVE-2017-15361), whose primes have the form
/// k·M + (65537^a mod M): such a modulus is, modulo every small prime p, a power of 65537. A random modulus almost never
/// is (the chance is the product of |⟨65537⟩ mod p| / (p − 1) over the primes, below 2^-60), so it is the published
/// detection test of Nemec et al., "The Return of Coppersmith's Attack" (CCS 2017), with the subgroups computed here.
/// </summary>
internal static class RocaFingerprint
{
    private const int Generator = 65537;

    // The odd primes up to 167, as in the published detector.
    private static readonly int[] Primes =
    [
        3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73,
        79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167,
    ];

    // For each prime p, which residues mod p are powers of 65537.
    private static readonly bool[][] Subgroups = Array.ConvertAll(Primes, PowersOfGenerator);

    /// <summary>True when <paramref name="modulus"/> (big-endian, unsigned) has the ROCA fingerprint.</summary>
    public static bool IsPresent(ReadOnlySpan<byte> modulus)
    {
        for (var i = 0; i < Primes.Length; i++)
        {
            if (!Subgroups[i][Remainder(modulus, Primes[i])])
            {
                return false;
            }
        }

        return true;
    }

    private static int Remainder(ReadOnlySpan<byte> bigEndian, int divisor)
    {
        var remainder = 0;
        foreach (var b in bigEndian)
        {
            remainder = ((remainder << 8) | b) % divisor;
        }

        return remainder;
    }

    private static bool[] PowersOfGenerator(int prime)
    {
        var members = new bool[prime];
        var power = 1;
        while (!members[power])
        {
            members[power] = true;
            power = (int)((long)power * Generator % prime);
        }

        return members;
    }
}
