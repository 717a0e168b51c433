
namespace TokenVerifier.Validation;

// How a validation ends: every outcome is counted and logged once, here, whichever path produced it.
public sealed partial class UserPoolTokenValidator
{
    private ValueTask<UserPoolValidationResult> Track(ValueTask<UserPoolValidationResult> pending, long start) =>
        pending.IsCompletedSuccessfully ? new(Completed(pending.Result, start)) : CompletedAsync(pending, start);

    private async ValueTask<UserPoolValidationResult> CompletedAsync(ValueTask<UserPoolValidationResult> pending, long start) =>
        Completed(await pending, start);

    // The one place every outcome passes, after revocation: so "accepted" is logged only for tokens really accepted,
    // and each validation is counted once.
    private UserPoolValidationResult Completed(UserPoolValidationResult result, long start)
    {
        // Recorded first, so the duration is the validation's, not the logger's.
        _metrics.RecordValidation(result, start);
        if (result.IsValid)
        {
            ValidationLog.Accepted(_logger, result.Token!.TokenUse, result.Token.ClientId);
        }
        else
        {
            _summary.Rejected(result.Failure);
        }

        return result;
    }

    // With the token and its parsed form, the events that can name the rejected issuer, client and token use do so
    // when LogRejectedClaimValues is on.
    private UserPoolValidationResult Reject(TokenFailure failure, string message, DateTimeOffset? time = null, ReadOnlyMemory<char> token = default, ParsedJwt? jwt = null)
    {
        if (_logRejectedValues && jwt is not null)
        {
            RejectedValueLog.Rejected(_logger, failure, message, token.Span, jwt);
        }
        else
        {
            ValidationLog.Rejected(_logger, failure, message);
        }

        return UserPoolValidationResult.Fail(failure, message, time, failure == TokenFailure.InvalidTokenUse ? jwt?.TokenUse : null);
    }
}
