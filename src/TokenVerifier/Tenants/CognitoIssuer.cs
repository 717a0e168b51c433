using System.Text.RegularExpressions;

namespace TokenVerifier.Tenants;

/// <summary>The strict shape of an issuer a pool resolver may be asked about: junk never reaches the resolver.</summary>
internal static partial class CognitoIssuer
{
    // Cognito pool ids are at most 55 characters; anything longer is not worth a regular expression.
    private const int MaxLength = 128;

    /// <summary>The pool id of <paramref name="issuer"/> when it is exactly a Cognito issuer of either form, the region in the host equal to the pool id's prefix.</summary>
    public static string? PoolIdOf(string issuer)
    {
        if (issuer.Length > MaxLength)
        {
            return null;
        }

        var match = Pattern().Match(issuer);
        return match.Success ? match.Groups["pool"].Value : null;
    }

    // \z, not $ (a trailing newline must not pass); the backreference ties the pool id's region to the host's.
    [GeneratedRegex(@"^https://(?:issuer-)?cognito-idp\.(?<region>[a-z]{2}(?:-[a-z]+)+-[0-9]+)\.amazonaws\.com/(?<pool>\k<region>_[0-9A-Za-z]{1,50})\z", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Pattern();
}
