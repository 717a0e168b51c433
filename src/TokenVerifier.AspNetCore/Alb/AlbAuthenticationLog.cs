using Microsoft.Extensions.Logging;
using TokenVerifier.Alb;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Authentication;

internal static partial class AlbAuthenticationLog
{
    [LoggerMessage(EventId = 7201, Level = LogLevel.Information, Message = "ALB scheme {Scheme} refused the request: {Failure} (access token: {AccessTokenFailure}).")]
    public static partial void Refused(ILogger logger, string scheme, AlbFailure failure, TokenFailure accessTokenFailure);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Debug, Message = "ALB scheme {Scheme} accepted a request signed by {Signer}.")]
    public static partial void Accepted(ILogger logger, string scheme, string signer);
}
