using System.Text;
using Microsoft.Extensions.Configuration;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>
/// Every key and value under some configuration sections, in one string. A configuration root signals a reload of any
/// of its sources (a log level changed in appsettings.json): comparing fingerprints keeps a scheme's validator, and
/// with it the validated-token cache, when its own sections did not change.
/// </summary>
internal static class SectionFingerprint
{
    public static string Of(IEnumerable<IConfiguration> sections)
    {
        var text = new StringBuilder();
        foreach (var section in sections)
        {
            foreach (var (key, value) in section.AsEnumerable().OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                // Lengths first, so no value can pass for a key and the next value.
                text.Append(key.Length).Append(':').Append(key).Append(value?.Length ?? -1).Append(':').Append(value);
            }

            text.Append('|');
        }

        return text.ToString();
    }
}
