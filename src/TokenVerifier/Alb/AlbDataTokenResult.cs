namespace TokenVerifier.Alb;

/// <summary>A verified data token, or why it was refused (a message safe to return: it never contains the token).</summary>
internal readonly record struct AlbDataTokenResult(AlbDataToken? Token, AlbFailure Failure, string? Message)
{
    public static AlbDataTokenResult Fail(AlbFailure failure, string message) => new(null, failure, message);
}
