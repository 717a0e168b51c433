using TokenVerifier.Validation;

namespace TokenVerifier.Revocation;

/// <summary>
/// What an entry means and how long it lives, shared by every store. An entry's value is <see cref="Absent"/>, or
/// <see cref="Present"/> for token and sign-in entries, or the "issued before" instant in Unix milliseconds for user
/// entries. Values only grow while an entry lives, so the larger of two answers is always the newer one.
/// </summary>
internal static class RevocationRules
{
    public const long Absent = long.MinValue;
    public const long Present = 1;

    public static bool Revokes(UserPoolToken token, long tokenEntry, long signInEntry, long userEntry) =>
        tokenEntry != Absent
        || signInEntry != Absent
        || (userEntry != Absent && token.IssuedAt.ToUnixTimeMilliseconds() < userEntry);

    /// <summary>A token entry outlives its token by the skew; never longer than the longest token could live.</summary>
    public static long? TokenEntryExpiry(RevocationStoreOptions options, DateTimeOffset now, DateTimeOffset expiresAt)
    {
        var latest = now + options.MaxTokenLifetime;
        return Future((expiresAt < latest ? expiresAt : latest) + options.ClockSkew, now);
    }

    /// <summary>Every token of the sign-in was issued before now, so all have expired one lifetime from now.</summary>
    public static long? SignInEntryExpiry(RevocationStoreOptions options, DateTimeOffset now) =>
        Future(now + options.MaxTokenLifetime + options.ClockSkew, now);

    /// <summary>The affected tokens were issued before <paramref name="issuedBefore"/>, so all have expired one lifetime later.</summary>
    public static long? UserEntryExpiry(RevocationStoreOptions options, DateTimeOffset now, DateTimeOffset issuedBefore) =>
        Future(issuedBefore + options.MaxTokenLifetime + options.ClockSkew, now);

    /// <summary>A user revocation may reach at most one token lifetime ahead; beyond that it would lock the user out, not revoke tokens.</summary>
    public static void ThrowIfTooFar(RevocationStoreOptions options, DateTimeOffset now, DateTimeOffset issuedBefore)
    {
        if (issuedBefore > now + options.MaxTokenLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(issuedBefore), issuedBefore, "A user revocation must not lie more than MaxTokenLifetime in the future.");
        }
    }

    // Null when nothing is left to revoke: every token the entry could affect has already expired.
    private static long? Future(DateTimeOffset expiry, DateTimeOffset now) =>
        expiry > now ? expiry.ToUnixTimeMilliseconds() : null;
}
