using Microsoft.Extensions.Logging;

namespace TokenVerifier.Revocation;

internal static partial class RedisRevocationLog
{
    [LoggerMessage(EventId = 6020, Level = LogLevel.Warning, Message = "The Redis revocation store lost its invalidation channel; revocations made on other instances take effect here within the local cache lifetime ({LocalCacheMs} ms) until it is back.")]
    public static partial void SubscriptionLost(ILogger logger, double localCacheMs);

    [LoggerMessage(EventId = 6021, Level = LogLevel.Information, Message = "The Redis revocation store has its invalidation channel again; answers cached meanwhile were dropped.")]
    public static partial void Resubscribed(ILogger logger);

    [LoggerMessage(EventId = 6022, Level = LogLevel.Warning, Message = "The Redis revocation store could not subscribe to its invalidation channel ({Reason}); revocations made on other instances take effect here within the local cache lifetime ({LocalCacheMs} ms).")]
    public static partial void SubscribeFailed(ILogger logger, string reason, double localCacheMs, Exception exception);

    [LoggerMessage(EventId = 6023, Level = LogLevel.Warning, Message = "A revocation reached {Confirmed} of the {Required} replicas required within {TimeoutMs} ms; it was refused so the caller retries.")]
    public static partial void ReplicasMissing(ILogger logger, long confirmed, int required, double timeoutMs);
}
