using System.Security.Cryptography;

namespace TokenVerifier.Alb;

/// <summary>Reads the PEM the key endpoint serves: one <c>PUBLIC KEY</c> (SubjectPublicKeyInfo) that must be an EC key on P-256.</summary>
internal static class AlbPublicKeyReader
{
    private const string NistP256Oid = "1.2.840.10045.3.1.7";

    /// <summary>The key, or null with <paramref name="error"/> saying why it is refused.</summary>
    public static ECDsa? TryRead(string pem, out string? error)
    {
        PemFields fields;
        try
        {
            fields = PemEncoding.Find(pem);
        }
        catch (ArgumentException)
        {
            error = "the response is not PEM";
            return null;
        }

        if (!pem.AsSpan()[fields.Label].SequenceEqual("PUBLIC KEY"))
        {
            error = "the PEM is not a PUBLIC KEY";
            return null;
        }

        var der = Convert.FromBase64String(pem[fields.Base64Data]);
        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(der, out var read);
            var curve = key.ExportParameters(false).Curve;
            if (read != der.Length || !curve.IsNamed || curve.Oid.Value != NistP256Oid)
            {
                key.Dispose();
                error = "the key is not an EC key on P-256";
                return null;
            }
        }
        catch (CryptographicException)
        {
            key.Dispose();
            error = "the PEM is not an EC public key";
            return null;
        }

        error = null;
        return key;
    }
}
