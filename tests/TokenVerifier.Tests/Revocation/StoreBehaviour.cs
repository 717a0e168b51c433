namespace TokenVerifier.Tests.Revocation;

/// <summary>How <see cref="FlakyRevocationStore"/> answers look-ups.</summary>
public enum StoreBehaviour
{
    /// <summary>Asks the real store.</summary>
    Up,

    /// <summary>Throws a refused connection before returning.</summary>
    RefuseAtOnce,

    /// <summary>Goes asynchronous, then fails with a refused connection.</summary>
    RefuseLater,

    /// <summary>Never answers.</summary>
    Hang,
}
