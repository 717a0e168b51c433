using System.Buffers.Text;

namespace TokenVerifier.Alb;

/// <summary>
/// Base64url exactly as the ALB writes it: with <c>=</c> padding to a multiple of four characters. Decoding is strict
/// where <see cref="Base64Url"/> is lenient: only the 64 alphabet characters, exactly the padding the length needs,
/// zero padding bits. So every token has one spelling, and no other text carries the same signature.
/// </summary>
internal static class PaddedBase64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var text = Base64Url.EncodeToString(bytes);
        return (text.Length % 4) switch
        {
            2 => text + "==",
            3 => text + "=",
            _ => text,
        };
    }

    public static bool TryDecode(ReadOnlySpan<char> segment, out byte[] bytes)
    {
        bytes = [];
        if (segment.Length == 0 || segment.Length % 4 != 0)
        {
            return false;
        }

        var padding = segment[^1] != '=' ? 0 : segment[^2] != '=' ? 1 : 2;
        var body = segment[..^padding];
        foreach (var c in body)
        {
            if (!IsAlphabet(c))
            {
                return false;
            }
        }

        // Base64Url refuses some non-canonical text itself (non-zero padding bits) and tolerates other (whitespace,
        // '='); the alphabet check above and the comparison below make the rule one, whatever its version does.
        byte[] decoded;
        try
        {
            decoded = Base64Url.DecodeFromChars(body);
        }
        catch (FormatException)
        {
            return false;
        }

        // Re-encoding catches both non-zero padding bits and a padding count the length does not need.
        var canonical = Base64Url.EncodeToString(decoded);
        if (canonical.Length + padding != segment.Length || !body.SequenceEqual(canonical))
        {
            return false;
        }

        bytes = decoded;
        return true;
    }

    private static bool IsAlphabet(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_';
}
