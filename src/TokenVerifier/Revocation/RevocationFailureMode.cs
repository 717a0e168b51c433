namespace TokenVerifier.Revocation;

/// <summary>What the validator does with a token when the revocation store cannot answer in time.</summary>
public enum RevocationFailureMode
{
    /// <summary>Reject the token with <see cref="Validation.TokenFailure.RevocationUnavailable"/>: a revoked token is never accepted. The default.</summary>
    FailClosed = 0,

    /// <summary>Accept the token (and log it): availability over revocation while the store is down.</summary>
    FailOpen,
}
