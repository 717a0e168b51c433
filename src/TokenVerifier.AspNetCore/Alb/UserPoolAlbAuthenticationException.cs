using TokenVerifier.Alb;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>Why the ALB scheme refused a request, carried in <c>AuthenticateResult.Failure</c>. Its message never contains a token.</summary>
public sealed class UserPoolAlbAuthenticationException : Exception
{
    /// <summary>Creates the exception for a refused request.</summary>
    /// <param name="failure">The check that failed.</param>
    /// <param name="message">A description safe to show to the caller.</param>
    /// <param name="accessTokenFailure">For <see cref="AlbFailure.AccessTokenRejected"/>, the access token's failure.</param>
    public UserPoolAlbAuthenticationException(AlbFailure failure, string message, TokenFailure accessTokenFailure = TokenFailure.None)
        : base(message)
    {
        Failure = failure;
        AccessTokenFailure = accessTokenFailure;
    }

    /// <summary>Creates an exception with no specific reason.</summary>
    public UserPoolAlbAuthenticationException()
        : this(AlbFailure.Malformed, "The request was refused.")
    {
    }

    /// <summary>Creates an exception with no specific reason.</summary>
    /// <param name="message">A description safe to show to the caller.</param>
    public UserPoolAlbAuthenticationException(string message)
        : this(AlbFailure.Malformed, message)
    {
    }

    /// <summary>Creates an exception with no specific reason.</summary>
    /// <param name="message">A description safe to show to the caller.</param>
    /// <param name="innerException">The cause.</param>
    public UserPoolAlbAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Failure = AlbFailure.Malformed;
    }

    /// <summary>The check that failed.</summary>
    public AlbFailure Failure { get; }

    /// <summary>Why the access token was rejected when <see cref="Failure"/> is <see cref="AlbFailure.AccessTokenRejected"/>; otherwise <see cref="TokenFailure.None"/>.</summary>
    public TokenFailure AccessTokenFailure { get; }

    /// <summary>True for an outage (keys or revocation store unreachable), answered 503: the request itself may be fine.</summary>
    public bool IsOutage =>
        Failure == AlbFailure.KeysUnavailable
        || AccessTokenFailure is TokenFailure.KeysUnavailable or TokenFailure.RevocationUnavailable;
}
