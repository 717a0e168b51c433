using Microsoft.Extensions.Logging;

namespace TokenVerifier.Alb;

internal static partial class AlbKeyLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Fetched the ALB public key {KeyUri}.")]
    public static partial void KeyFetched(ILogger logger, Uri keyUri);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Fetching the ALB public key {KeyUri} failed: {Reason}.")]
    public static partial void FetchFailed(ILogger logger, Uri keyUri, string reason);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Not fetching an unknown ALB key: {Budget} unknown kids were already fetched in the last {Interval}.")]
    public static partial void FetchRateLimited(ILogger logger, int budget, TimeSpan interval);
}
