namespace TokenVerifier.Keys;

/// <summary>The health of a pool's cached key set.</summary>
public enum KeySetState
{
    /// <summary>No key set has ever been fetched.</summary>
    Missing = 0,

    /// <summary>The key set was refreshed within the refresh interval.</summary>
    Fresh,

    /// <summary>Refreshes are failing or overdue; the last good key set still serves (until <see cref="UserPoolValidationOptions.MaxStaleness"/>).</summary>
    Stale,

    /// <summary>The last good key set is older than <see cref="UserPoolValidationOptions.MaxStaleness"/> and is no longer used.</summary>
    Expired,
}
