using Microsoft.Extensions.Logging;

namespace TokenVerifier.Revocation;

internal static partial class RevocationLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "The revocation store is unavailable ({Reason}); tokens are {Outcome} until it answers again.")]
    public static partial void StoreUnavailable(ILogger logger, string reason, string outcome, Exception? exception);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "The revocation store answers again.")]
    public static partial void StoreRecovered(ILogger logger);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Debug, Message = "Accepted a token without checking revocation: the store is unavailable and FailureMode is FailOpen.")]
    public static partial void AcceptedUnchecked(ILogger logger);
}
