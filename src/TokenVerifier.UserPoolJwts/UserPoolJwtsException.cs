namespace TokenVerifier.UserPoolJwts;

/// <summary>A mistake of the user's (bad input, a project without a key yet): its message is all they need, without a stack trace.</summary>
internal sealed class UserPoolJwtsException(string message) : Exception(message);
