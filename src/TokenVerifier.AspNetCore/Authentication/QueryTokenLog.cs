using Microsoft.Extensions.Logging;

namespace TokenVerifier.AspNetCore.Authentication;

// None of these events carries the request's path or query: the query string holds the token.
internal static partial class QueryTokenLog
{
    [LoggerMessage(EventId = 7301, Level = LogLevel.Debug, Message = "Scheme {Scheme} read the token from the access_token query parameter of a configured path.")]
    public static partial void ReadFromQuery(ILogger logger, string scheme);

    [LoggerMessage(EventId = 7302, Level = LogLevel.Information, Message = "Scheme {Scheme} refused a request: {Reason}.")]
    public static partial void Refused(ILogger logger, string scheme, string reason);

    [LoggerMessage(EventId = 7303, Level = LogLevel.Debug, Message = "Scheme {Scheme} ignored an access_token query parameter: the path is not under QueryTokenPaths.")]
    public static partial void IgnoredOutsidePaths(ILogger logger, string scheme);
}
