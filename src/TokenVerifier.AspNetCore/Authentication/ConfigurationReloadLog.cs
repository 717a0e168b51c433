using Microsoft.Extensions.Logging;

namespace TokenVerifier.AspNetCore.Authentication;

// Errors name settings and their problems, from the configuration; never a token.
internal static partial class ConfigurationReloadLog
{
    [LoggerMessage(EventId = 8601, Level = LogLevel.Information, Message = "Scheme {Scheme} follows a configuration reload: {PoolCount} pool(s) now trusted.")]
    public static partial void SchemeReloaded(ILogger logger, string scheme, int poolCount);

    [LoggerMessage(EventId = 8602, Level = LogLevel.Error, Message = "Scheme {Scheme} refused a configuration reload; the last good configuration stays in force until a valid one is loaded. {Errors}")]
    public static partial void SchemeReloadRejected(ILogger logger, string scheme, string errors);

    [LoggerMessage(EventId = 8603, Level = LogLevel.Information, Message = "The user-pool authorization policies follow a configuration reload: {PolicyCount} polic(ies) now defined.")]
    public static partial void PoliciesReloaded(ILogger logger, int policyCount);

    [LoggerMessage(EventId = 8604, Level = LogLevel.Error, Message = "The user-pool authorization policies refused a configuration reload; the last good policies stay in force until valid ones are loaded. {Errors}")]
    public static partial void PoliciesReloadRejected(ILogger logger, string errors);
}
