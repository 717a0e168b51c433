using System.Text;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>
/// The <c>WWW-Authenticate: Bearer ...</c> value of a challenge (RFC 6750 section 3). A flood of forged tokens is answered
/// with the same few values over and over (the error description of most failure reasons is a constant), so the last value
/// built for each reason is kept and reused while realm, error and description are the same text.
/// </summary>
internal static class BearerChallenge
{
    // One slot per TokenFailure value (whatever values are added later), and a last one for a challenge without a failure.
    private static readonly Entry?[] Built = new Entry?[Enum.GetValues<TokenFailure>().Max(f => (int)f) + 2];

    /// <summary>The header value for a challenge after <paramref name="failure"/> (null: no token, or none rejected).</summary>
    public static string Header(string? realm, string? error, string? description, Exception? failure)
    {
        if (realm is null && error is null && description is null)
        {
            return "Bearer";
        }

        // Other failures (a query token refused) are rare and their text varies: built every time.
        var slot = failure switch
        {
            null => Built.Length - 1,
            UserPoolAuthenticationException { Failure: var reason } when (int)reason >= 0 && (int)reason < Built.Length - 1 => (int)reason,
            _ => -1,
        };
        if (slot < 0)
        {
            return Format(realm, error, description);
        }

        // Entries are immutable and replaced whole, so a racing reader sees one entry or the other, never a mix.
        var entry = Volatile.Read(ref Built[slot]);
        if (entry is not null
            && string.Equals(entry.Realm, realm, StringComparison.Ordinal)
            && string.Equals(entry.Error, error, StringComparison.Ordinal)
            && string.Equals(entry.Description, description, StringComparison.Ordinal))
        {
            return entry.Header;
        }

        var header = Format(realm, error, description);
        Volatile.Write(ref Built[slot], new Entry(realm, error, description, header));
        return header;
    }

    /// <summary>The header value built anew, each parameter quoted (RFC 7235) and left out when null.</summary>
    public static string Format(string? realm, string? error, string? description)
    {
        var header = new StringBuilder("Bearer");
        var separator = " ";
        void Add(string name, string? value)
        {
            if (value is null)
            {
                return;
            }

            // Quoted-string per RFC 7235; our messages have no quotes, but event handlers may set any text.
            header.Append(separator).Append(name).Append("=\"").Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
            separator = ", ";
        }

        Add("realm", realm);
        Add("error", error);
        Add("error_description", description);
        return header.ToString();
    }

    private sealed class Entry(string? realm, string? error, string? description, string header)
    {
        public string? Realm { get; } = realm;

        public string? Error { get; } = error;

        public string? Description { get; } = description;

        public string Header { get; } = header;
    }
}
