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

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "The in-memory revocation store is filling up: {Count} of {MaxEntries} entries. Revocations beyond MaxEntries are refused; raise MaxEntries, lower MaxTokenLifetime or use a distributed store.")]
    public static partial void NearCapacity(ILogger logger, int count, int maxEntries);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Information, Message = "Coalesced {Count} sign-in revocations of one user into one revocation of that user's tokens issued before now.")]
    public static partial void SignInsCoalesced(ILogger logger, int count);
}
