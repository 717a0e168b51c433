namespace TokenVerifier.Alb;

/// <summary>
/// The ALB's <c>kid</c> goes into the key URL, and it comes from the token: an attacker chooses it. Only ASCII letters,
/// digits and <c>-</c> are allowed (the ALB's kids are UUIDs), so no <c>/</c>, <c>.</c>, <c>%</c>, <c>?</c>, <c>#</c>,
/// whitespace or non-ASCII character can change which resource is fetched. Checked character by character: a regex
/// <c>\d</c> matches non-ASCII digits and <c>$</c> matches before a trailing newline.
/// </summary>
internal static class AlbKeyId
{
    public const int MaxLength = 64;

    public static bool IsWellFormed(string? keyId)
    {
        if (string.IsNullOrEmpty(keyId) || keyId.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in keyId)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }
}
