using System.Buffers.Text;
using System.Text;

namespace TokenVerifier.Benchmarks;

/// <summary>Splits the benchmark token for the raw RSA baseline.</summary>
internal static class BenchmarkToken
{
    /// <summary>The ASCII bytes of <c>header.payload</c> and the decoded signature.</summary>
    public static (byte[] SigningInput, byte[] Signature) Split(string token)
    {
        var lastDot = token.LastIndexOf('.');
        return (Encoding.ASCII.GetBytes(token[..lastDot]), Base64Url.DecodeFromChars(token.AsSpan(lastDot + 1)));
    }
}
