using Microsoft.AspNetCore.Http;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>
/// Where a token may arrive in the <c>access_token</c> query parameter: only under the configured path prefixes (hubs),
/// because a token in a URL ends up in access logs, proxies and browser history, and only browsers' WebSockets and
/// EventSource need it.
/// </summary>
internal static class QueryTokenPaths
{
    public const string Parameter = "access_token";

    public static bool Matches(IList<string> prefixes, PathString path)
    {
        // By whole segments and ignoring case, as routing matches: "/hubs" covers "/HUBS/orders" but not "/hubsx".
        for (var i = 0; i < prefixes.Count; i++)
        {
            if (path.StartsWithSegments(prefixes[i], StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public static IEnumerable<string> Validate(IList<string>? prefixes)
    {
        if (prefixes is null)
        {
            yield return "QueryTokenPaths must not be null; leave it empty to read tokens from the Authorization header only.";
            yield break;
        }

        for (var i = 0; i < prefixes.Count; i++)
        {
            var prefix = prefixes[i];
            var name = $"QueryTokenPaths[{i}]";
            if (string.IsNullOrWhiteSpace(prefix))
            {
                yield return $"{name} is empty; give a path prefix such as /hubs.";
            }
            else if (prefix[0] != '/')
            {
                yield return $"{name} ('{prefix}') must be a path starting with '/', such as /hubs.";
            }
            else if (prefix.Length == 1)
            {
                yield return $"{name} is '/', which would accept a token in the query string on every path; name the hubs' prefix, such as /hubs.";
            }
            else if (prefix[^1] == '/')
            {
                yield return $"{name} ('{prefix}') must not end with '/'; prefixes match whole segments, so '{prefix.TrimEnd('/')}' covers the paths below it.";
            }
            else if (prefix.AsSpan().IndexOfAny("?#% ") >= 0)
            {
                yield return $"{name} ('{prefix}') must be a plain path: no query, fragment, percent-encoding or spaces.";
            }
        }
    }
}
