using Microsoft.Extensions.Logging;

namespace TokenVerifier.Keys;

internal static partial class KeyCacheLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Fetched the signing keys of {JwksUri}: {KeyCount} accepted.")]
    public static partial void KeysFetched(ILogger logger, Uri jwksUri, int keyCount);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Fetching the signing keys of {JwksUri} failed: {Reason}. The last good key set (if any) keeps serving.")]
    public static partial void FetchFailed(ILogger logger, Uri jwksUri, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Ignored a key of {JwksUri}: {Reason}.")]
    public static partial void KeyRejected(ILogger logger, Uri jwksUri, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Unknown kid for {JwksUri}: refreshing the key set.")]
    public static partial void RefreshOnUnknownKid(ILogger logger, Uri jwksUri);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "Unknown kid for {JwksUri}: not refreshing, unknown kids have used the refreshes allowed for now (at most {MaxRefreshes} per {Interval}).")]
    public static partial void RefreshRateLimited(ILogger logger, Uri jwksUri, int maxRefreshes, TimeSpan interval);

    // Not "unknown kid": the kid may well be in the set we hold, but that set is missing or past MaxStaleness.
    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "No usable key set for {JwksUri} ({State}): fetching it.")]
    public static partial void RefreshUnusableSet(ILogger logger, Uri jwksUri, KeySetState state);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Debug, Message = "Stopped waiting for the signing keys of {JwksUri} after {Wait}; the fetch goes on in the background.")]
    public static partial void WaitExceeded(ILogger logger, Uri jwksUri, TimeSpan wait);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "The key endpoint {JwksUri} asked to retry after {RetryAfter}: the next scheduled refresh waits until {NotBefore}.")]
    public static partial void RetryDeferred(ILogger logger, Uri jwksUri, TimeSpan retryAfter, DateTimeOffset notBefore);

    // Cognito never reuses a kid for new material: this is a misconfigured issuer or a key being swapped out from under it.
    // Id 2010, apart from the fetch events (200x), so events added there keep their own numbering.
    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "The key '{KeyId}' of {JwksUri} now has different material under the same kid: tokens the previous key verified are no longer accepted, cached ones included.")]
    public static partial void KeyReplaced(ILogger logger, Uri jwksUri, string keyId);
}
