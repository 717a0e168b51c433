using Microsoft.Extensions.Logging;

namespace TokenVerifier.Validation;

/// <summary>
/// One event per rejection reason, so that operators can filter and alert on a reason by its event id alone.
/// Ids are stable: 1100 + the reason's number. The description is the safe failure message; the token never appears.
/// Every per-token event is at Debug level, outages included: under load or attack they come once per request, and
/// <see cref="RejectionSummary"/> writes the per-minute Warning an operator should see.
/// </summary>
internal static partial class ValidationLog
{
    public static void Rejected(ILogger logger, TokenFailure failure, string description)
    {
        switch (failure)
        {
            case TokenFailure.Malformed: Malformed(logger, description); break;
            case TokenFailure.TooLarge: TooLarge(logger, description); break;
            case TokenFailure.UnsupportedAlgorithm: UnsupportedAlgorithm(logger, description); break;
            case TokenFailure.MissingKeyId: MissingKeyId(logger, description); break;
            case TokenFailure.UnsupportedHeader: UnsupportedHeader(logger, description); break;
            case TokenFailure.UnknownIssuer: UnknownIssuer(logger, description); break;
            case TokenFailure.KeyNotFound: KeyNotFound(logger, description); break;
            case TokenFailure.KeysUnavailable: KeysUnavailable(logger, description); break;
            case TokenFailure.InvalidSignature: InvalidSignature(logger, description); break;
            case TokenFailure.MissingClaim: MissingClaim(logger, description); break;
            case TokenFailure.InvalidClaim: InvalidClaim(logger, description); break;
            case TokenFailure.Expired: Expired(logger, description); break;
            case TokenFailure.NotYetValid: NotYetValid(logger, description); break;
            case TokenFailure.InvalidTokenUse: InvalidTokenUse(logger, description); break;
            case TokenFailure.InvalidClient: InvalidClient(logger, description); break;
            case TokenFailure.Revoked: Revoked(logger, description); break;
            case TokenFailure.RevocationUnavailable: RevocationUnavailable(logger, description); break;
            case TokenFailure.InvalidKey: InvalidKey(logger, description); break;

            // A reason added later without its own event is still logged, under the generic id.
            default: OtherReason(logger, failure, description); break;
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Rejected a token: {Failure}. {Description}")]
    public static partial void OtherReason(ILogger logger, TokenFailure failure, string description);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Accepted a token (token_use {TokenUse}) of client {ClientId}.")]
    public static partial void Accepted(ILogger logger, string tokenUse, string? clientId);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "Rejected a malformed token. {Description}")]
    private static partial void Malformed(ILogger logger, string description);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "Rejected an oversized token. {Description}")]
    private static partial void TooLarge(ILogger logger, string description);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "Rejected a token for its algorithm. {Description}")]
    private static partial void UnsupportedAlgorithm(ILogger logger, string description);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Debug, Message = "Rejected a token without a key id. {Description}")]
    private static partial void MissingKeyId(ILogger logger, string description);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Debug, Message = "Rejected a token for an unsupported header. {Description}")]
    private static partial void UnsupportedHeader(ILogger logger, string description);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Debug, Message = "Rejected a token of an unknown issuer. {Description}")]
    private static partial void UnknownIssuer(ILogger logger, string description);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Debug, Message = "Rejected a token whose key is not in the key set. {Description}")]
    private static partial void KeyNotFound(ILogger logger, string description);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Debug, Message = "Rejected a token because the signing keys are unavailable. {Description}")]
    private static partial void KeysUnavailable(ILogger logger, string description);

    [LoggerMessage(EventId = 1109, Level = LogLevel.Debug, Message = "Rejected a token with an invalid signature. {Description}")]
    private static partial void InvalidSignature(ILogger logger, string description);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Debug, Message = "Rejected a token missing a required claim. {Description}")]
    private static partial void MissingClaim(ILogger logger, string description);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Debug, Message = "Rejected a token with an invalid claim. {Description}")]
    private static partial void InvalidClaim(ILogger logger, string description);

    [LoggerMessage(EventId = 1112, Level = LogLevel.Debug, Message = "Rejected an expired token. {Description}")]
    private static partial void Expired(ILogger logger, string description);

    [LoggerMessage(EventId = 1113, Level = LogLevel.Debug, Message = "Rejected a token that is not yet valid. {Description}")]
    private static partial void NotYetValid(ILogger logger, string description);

    [LoggerMessage(EventId = 1114, Level = LogLevel.Debug, Message = "Rejected a token of a token_use that is not accepted. {Description}")]
    private static partial void InvalidTokenUse(ILogger logger, string description);

    [LoggerMessage(EventId = 1115, Level = LogLevel.Debug, Message = "Rejected a token of an app client that is not allowed. {Description}")]
    private static partial void InvalidClient(ILogger logger, string description);

    [LoggerMessage(EventId = 1116, Level = LogLevel.Debug, Message = "Rejected a revoked token. {Description}")]
    private static partial void Revoked(ILogger logger, string description);

    [LoggerMessage(EventId = 1117, Level = LogLevel.Debug, Message = "Rejected a token whose revocation status could not be checked. {Description}")]
    private static partial void RevocationUnavailable(ILogger logger, string description);

    [LoggerMessage(EventId = 1118, Level = LogLevel.Debug, Message = "Rejected a token whose signing key the vetting refused. {Description}")]
    private static partial void InvalidKey(ILogger logger, string description);
}
