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

    [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "Unknown kid for {JwksUri}: not refreshing, the last refresh for an unknown kid was under {Interval} ago.")]
    public static partial void RefreshRateLimited(ILogger logger, Uri jwksUri, TimeSpan interval);

    // Cognito never reuses a kid for new material: this is a misconfigured issuer or a key being swapped out from under it.
    // Id 2010, apart from the fetch events (200x), so events added there keep their own numbering.
    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "The key '{KeyId}' of {JwksUri} now has different material under the same kid: tokens the previous key verified are no longer accepted, cached ones included.")]
    public static partial void KeyReplaced(ILogger logger, Uri jwksUri, string keyId);
}
