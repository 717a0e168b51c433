using Microsoft.Extensions.Logging;

namespace TokenVerifier.AspNetCore.Authentication;

// Debug: a flood over many connections would otherwise write a line per connection; the rejections' own summary (event
// 1003) already says a flood is under way.
internal static partial class RefusedTokenDelayLog
{
    [LoggerMessage(EventId = 7401, Level = LogLevel.Debug, Message = "Connection {ConnectionId} sent more than {Allowed} tokens in a row that scheme {Scheme} refused; each further refusal on it is answered after {DelayMs} ms, until a token on it is accepted.")]
    public static partial void Delaying(ILogger logger, string connectionId, string scheme, int allowed, long delayMs);
}
