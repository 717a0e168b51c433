namespace TokenVerifier.Revocation;

/// <summary>How a validator treats the revocation store (<c>UserPool:Revocation</c> in configuration).</summary>
public sealed class RevocationOptions
{
    /// <summary>The longest allowed <see cref="Timeout"/>: a request never waits longer than this for the store.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(30);

    /// <summary>What to do when the store fails or does not answer within <see cref="Timeout"/>. Default <see cref="RevocationFailureMode.FailClosed"/>.</summary>
    public RevocationFailureMode FailureMode { get; set; } = RevocationFailureMode.FailClosed;

    /// <summary>How long one request waits for the store before <see cref="FailureMode"/> applies. Default 500 ms; at most <see cref="MaxTimeout"/>.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// After the store fails, how long requests skip it and apply <see cref="FailureMode"/> at once, so an outage costs one
    /// <see cref="Timeout"/> per interval instead of one per request. Default one second; zero asks the store every time.
    /// </summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(1);

    internal void Validate(List<string> errors)
    {
        if (!Enum.IsDefined(FailureMode))
        {
            errors.Add("Revocation:FailureMode must be FailClosed or FailOpen.");
        }

        if (Timeout <= TimeSpan.Zero || Timeout > MaxTimeout)
        {
            errors.Add($"Revocation:Timeout must be positive and at most {MaxTimeout.TotalSeconds} seconds.");
        }

        if (BreakDuration < TimeSpan.Zero || BreakDuration > TimeSpan.FromMinutes(1))
        {
            errors.Add("Revocation:BreakDuration must be between 0 and 1 minute.");
        }
    }
}
