namespace TokenVerifier.Claims;

/// <summary>One claim as parsed, kept immutable so that each request can get new <see cref="System.Security.Claims.Claim"/> objects.</summary>
internal readonly record struct ClaimData(string Type, string Value, string ValueType);
