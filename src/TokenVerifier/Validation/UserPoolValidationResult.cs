using System.Security.Claims;

namespace TokenVerifier.Validation;

/// <summary>The outcome of <see cref="UserPoolTokenValidator.ValidateAsync"/>: a validated token and its identity, or a failure reason.</summary>
public sealed class UserPoolValidationResult
{
    private UserPoolValidationResult(UserPoolToken? token, ClaimsIdentity? identity, TokenFailure failure, string? message)
    {
        Token = token;
        Identity = identity;
        Failure = failure;
        FailureMessage = message;
    }

    /// <summary>True when the token passed every check.</summary>
    public bool IsValid => Failure == TokenFailure.None;

    /// <summary>The validated token; null on failure.</summary>
    public UserPoolToken? Token { get; }

    /// <summary>A new identity built from the token's claims; null on failure.</summary>
    public ClaimsIdentity? Identity { get; }

    /// <summary>Why the token was rejected, or <see cref="TokenFailure.None"/>.</summary>
    public TokenFailure Failure { get; }

    /// <summary>For <see cref="TokenFailure.Expired"/> the token's <c>exp</c>, for <see cref="TokenFailure.NotYetValid"/> its <c>nbf</c>; otherwise null.</summary>
    public DateTimeOffset? FailureTime { get; private init; }

    /// <summary>A description of the failure that is safe to return to the caller: it never contains the token.</summary>
    public string? FailureMessage { get; }

    internal static UserPoolValidationResult Success(UserPoolToken token, ClaimsIdentity identity) =>
        new(token, identity, TokenFailure.None, null);

    internal static UserPoolValidationResult Fail(TokenFailure failure, string message, DateTimeOffset? time = null) =>
        new(null, null, failure, message) { FailureTime = time };
}
