using Microsoft.Extensions.Logging;

namespace TokenVerifier.Tenants;

// The pool id is logged (it names a tenant, not a secret); the token never is.
internal static partial class ResolutionLog
{
    [LoggerMessage(EventId = 8501, Level = LogLevel.Information, Message = "The pool resolver approved user pool {UserPoolId}.")]
    public static partial void Approved(ILogger logger, string userPoolId);

    [LoggerMessage(EventId = 8502, Level = LogLevel.Debug, Message = "The pool resolver refused user pool {UserPoolId}.")]
    public static partial void Refused(ILogger logger, string userPoolId);

    [LoggerMessage(EventId = 8503, Level = LogLevel.Warning, Message = "The pool resolver failed for user pool {UserPoolId}; its tokens are answered KeysUnavailable until it answers.")]
    public static partial void Failed(ILogger logger, string userPoolId, Exception exception);

    [LoggerMessage(EventId = 8504, Level = LogLevel.Warning, Message = "The pool resolver gave no answer for user pool {UserPoolId} within {Timeout}.")]
    public static partial void TimedOut(ILogger logger, string userPoolId, TimeSpan timeout);

    [LoggerMessage(EventId = 8505, Level = LogLevel.Error, Message = "The pool resolver's settings for user pool {UserPoolId} are refused: {Errors}")]
    public static partial void InvalidAnswer(ILogger logger, string userPoolId, string errors);
}
