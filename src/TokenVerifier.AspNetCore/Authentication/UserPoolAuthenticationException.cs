using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>The failure of an authentication attempt, carried in <c>AuthenticateResult.Failure</c>. Its message never contains the token.</summary>
public sealed class UserPoolAuthenticationException : Exception
{
    /// <summary>Creates the exception for a rejected token.</summary>
    /// <param name="failure">Why the token was rejected.</param>
    /// <param name="message">A description safe to show to the caller.</param>
    public UserPoolAuthenticationException(TokenFailure failure, string message)
        : base(message)
    {
        Failure = failure;
    }

    /// <summary>Creates an exception with no specific reason.</summary>
    public UserPoolAuthenticationException()
        : this(TokenFailure.Malformed, "The token was rejected.")
    {
    }

    /// <summary>Creates an exception with no specific reason.</summary>
    /// <param name="message">A description safe to show to the caller.</param>
    public UserPoolAuthenticationException(string message)
        : this(TokenFailure.Malformed, message)
    {
    }

    /// <summary>Creates an exception with no specific reason.</summary>
    /// <param name="message">A description safe to show to the caller.</param>
    /// <param name="innerException">The cause.</param>
    public UserPoolAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Failure = TokenFailure.Malformed;
    }

    /// <summary>Why the token was rejected.</summary>
    public TokenFailure Failure { get; }
}
