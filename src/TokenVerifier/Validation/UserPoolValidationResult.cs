using System.Security.Claims;

namespace TokenVerifier.Validation;

/// <summary>The outcome of <see cref="UserPoolTokenValidator.ValidateAsync(string, CancellationToken)"/>: a validated token and its identity, or a failure reason.</summary>
public sealed class UserPoolValidationResult
{
    // The last refusal of each reason: most carry a constant message, and a flood of forged tokens would otherwise make a
    // result per request.
    private static readonly UserPoolValidationResult?[] Refusals = new UserPoolValidationResult?[Enum.GetValues<TokenFailure>().Max(f => (int)f) + 1];

    private readonly string? _authenticationType;
    private ClaimsIdentity? _identity;

    private UserPoolValidationResult(UserPoolToken? token, string? authenticationType, TokenFailure failure, string? message)
    {
        Token = token;
        _authenticationType = authenticationType;
        Failure = failure;
        FailureMessage = message;
    }

    /// <summary>True when the token passed every check.</summary>
    public bool IsValid => Failure == TokenFailure.None;

    /// <summary>The validated token; null on failure. A token served from the cache is the same object for every request.</summary>
    public UserPoolToken? Token { get; }

    /// <summary>The id of the pool that issued the validated token, from the configuration, never from the token; null on failure.</summary>
    public string? UserPoolId => Token?.UserPoolId;

    /// <summary>
    /// A new identity built from the token's claims, created on first use and then kept by this result (every result
    /// has its own, with its own claims); null on failure.
    /// </summary>
    // Built on demand, as IdentityModel's TokenValidationResult does, so a caller that needs only the validated token
    // does not pay for twenty-odd claim objects.
    public ClaimsIdentity? Identity
    {
        get
        {
            if (_identity is null && Token is not null)
            {
                Interlocked.CompareExchange(ref _identity, Token.CreateIdentity(_authenticationType!), null);
            }

            return _identity;
        }
    }

    /// <summary>Why the token was rejected, or <see cref="TokenFailure.None"/>.</summary>
    public TokenFailure Failure { get; }

    /// <summary>For <see cref="TokenFailure.Expired"/> the token's <c>exp</c>, for <see cref="TokenFailure.NotYetValid"/> its <c>nbf</c>; otherwise null.</summary>
    public DateTimeOffset? FailureTime { get; private init; }

    /// <summary>A description of the failure that is safe to return to the caller: it never contains the token.</summary>
    public string? FailureMessage { get; }

    internal static UserPoolValidationResult Success(UserPoolToken token, string authenticationType) =>
        new(token, authenticationType, TokenFailure.None, null);

    /// <summary>For <see cref="TokenFailure.InvalidTokenUse"/>, the token's <c>token_use</c> (attacker text: for metric tags only after mapping).</summary>
    internal string? RejectedTokenUse { get; private init; }

    internal static UserPoolValidationResult Fail(TokenFailure failure, string message, DateTimeOffset? time = null, string? rejectedTokenUse = null)
    {
        var slot = (int)failure;
        if (time is not null || rejectedTokenUse is not null || slot < 0 || slot >= Refusals.Length)
        {
            return new(null, null, failure, message) { FailureTime = time, RejectedTokenUse = rejectedTokenUse };
        }

        // A failed result holds nothing of its request and never changes, so one per reason and message serves them all.
        var kept = Volatile.Read(ref Refusals[slot]);
        if (kept is not null && string.Equals(kept.FailureMessage, message, StringComparison.Ordinal))
        {
            return kept;
        }

        kept = new(null, null, failure, message);
        Volatile.Write(ref Refusals[slot], kept);
        return kept;
    }
}
