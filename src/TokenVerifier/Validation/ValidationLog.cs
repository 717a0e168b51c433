using Microsoft.Extensions.Logging;

namespace TokenVerifier.Validation;

internal static partial class ValidationLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Rejected a token: {Failure}. {Description}")]
    public static partial void Rejected(ILogger logger, TokenFailure failure, string description);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Accepted a token (token_use {TokenUse}) of client {ClientId}.")]
    public static partial void Accepted(ILogger logger, string tokenUse, string? clientId);
}
