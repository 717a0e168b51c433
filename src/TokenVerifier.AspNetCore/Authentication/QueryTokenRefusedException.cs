namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>
/// A request that presents its token in more than one way (RFC 6750 section 2: "Clients MUST NOT use more than one
/// method"): answered 400 <c>invalid_request</c>, not 401 <c>invalid_token</c>, since no token was judged.
/// </summary>
internal sealed class QueryTokenRefusedException(string message) : Exception(message);
