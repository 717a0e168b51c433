namespace TokenVerifier.IntegrationTests.Emulator;

/// <summary>The emulator refused a call: a 4xx or 5xx answer with <c>{"__type","message"}</c>, as Cognito sends.</summary>
public sealed class CognitoApiException : Exception
{
    /// <summary>Creates the exception for one refused call; <paramref name="body"/> is the answer, which never echoes a token or password.</summary>
    public CognitoApiException(string operation, int statusCode, string? errorType, string body)
        : base($"{operation}: {statusCode} {body}")
    {
        StatusCode = statusCode;
        ErrorType = errorType;
    }

    /// <summary>The HTTP status: 400 for Cognito errors, 500 for what the emulator does not implement.</summary>
    public int StatusCode { get; }

    /// <summary>The <c>__type</c>, such as <c>NotAuthorizedException</c> (the AWS SDKs' error name); null when the body has none.</summary>
    public string? ErrorType { get; }
}
