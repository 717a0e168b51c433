using Microsoft.Extensions.Logging;

namespace TokenVerifier.AspNetCore.Development;

internal static partial class DevelopmentLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "The dev token endpoint is not mapped: {Reason}.")]
    public static partial void NotMapped(ILogger logger, string reason);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "The dev token endpoint is mapped at {Pattern} for loopback requests; tokens come from the embedded pool {UserPoolId}, not from AWS.")]
    public static partial void Mapped(ILogger logger, string pattern, string userPoolId);
}
