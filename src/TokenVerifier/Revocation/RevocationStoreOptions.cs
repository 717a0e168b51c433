namespace TokenVerifier.Revocation;

/// <summary>
/// Settings of a revocation store: how long entries live and how much is kept locally. Bound from <c>UserPool:Revocation</c>
/// by <c>AddUserPoolAuth(IConfiguration)</c>.
/// </summary>
public sealed class RevocationStoreOptions
{
    /// <summary>The longest lifetime Cognito allows for access and ID tokens (one day).</summary>
    public static readonly TimeSpan CognitoMaxTokenLifetime = TimeSpan.FromDays(1);

    /// <summary>
    /// The longest lifetime of the tokens being verified: a sign-in or user revocation is kept this long, by when every
    /// token it can affect has expired. Default one day (Cognito's maximum); lower it to the pool's configured lifetime.
    /// </summary>
    public TimeSpan MaxTokenLifetime { get; set; } = CognitoMaxTokenLifetime;

    /// <summary>
    /// Added to every entry's lifetime, because a validator with clock skew accepts a token until <c>exp</c> + skew.
    /// Default five minutes, the largest skew a validator allows; set it to the validators' <c>ClockSkew</c> to keep
    /// entries exactly as long as their tokens.
    /// </summary>
    public TimeSpan ClockSkew { get; set; } = UserPoolValidationOptions.MaxClockSkew;

    /// <summary>
    /// Distributed stores only: how long an answer read from the shared store is reused locally, so the shared store is not
    /// asked on every request. A revocation made on another instance takes effect here within this window; one made on
    /// this instance takes effect at once. Default one second; zero asks the shared store every time.
    /// </summary>
    public TimeSpan LocalCacheDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The most entries kept in memory: revocations in the in-memory store (a revocation beyond it is refused with an
    /// exception rather than silently dropped), or reused answers in a distributed store's local cache. Default 100,000.
    /// </summary>
    public int MaxEntries { get; set; } = 100_000;

    /// <summary>
    /// How many sign-in entries (<c>origin_jti</c>) one user (<c>sub</c>) may hold, for sign-ins revoked with their <c>sub</c>.
    /// The next sign-out of that user replaces them with one user entry (tokens of that <c>sub</c> issued before now), which
    /// refuses the same tokens and that user's other older ones, so one account signing in and out in a loop holds at
    /// most this many entries plus one. Default 5; zero makes every such sign-out a user entry.
    /// </summary>
    public int MaxSignInEntriesPerUser { get; set; } = 5;

    /// <summary>Distributed stores only: the prefix of every key written to the shared store. Default <c>tokenverifier:revoked:</c>.</summary>
    public string KeyPrefix { get; set; } = "tokenverifier:revoked:";

    /// <summary>Checks the options; returns one clear message per problem (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxTokenLifetime <= TimeSpan.Zero)
        {
            errors.Add("Revocation:MaxTokenLifetime must be positive.");
        }

        if (ClockSkew < TimeSpan.Zero || ClockSkew > UserPoolValidationOptions.MaxClockSkew)
        {
            errors.Add($"Revocation:ClockSkew must be between 0 and {UserPoolValidationOptions.MaxClockSkew.TotalMinutes} minutes.");
        }

        if (LocalCacheDuration < TimeSpan.Zero || LocalCacheDuration > TimeSpan.FromMinutes(1))
        {
            errors.Add("Revocation:LocalCacheDuration must be between 0 and 1 minute.");
        }

        if (MaxEntries < 1)
        {
            errors.Add("Revocation:MaxEntries must be at least 1.");
        }

        if (MaxSignInEntriesPerUser < 0)
        {
            errors.Add("Revocation:MaxSignInEntriesPerUser must not be negative.");
        }

        if (string.IsNullOrEmpty(KeyPrefix))
        {
            errors.Add("Revocation:KeyPrefix must not be empty.");
        }

        return errors;
    }

    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid revocation store options: " + string.Join(" ", errors), "options");
        }
    }
}
