namespace TokenVerifier.Tests.Parsing;

/// <summary>
/// Retries a check that two reads share one value from a fixed table (interned strings, group lists). A test running
/// beside it may store a colliding value in the same slot between the two reads (a colliding value overwrites a slot), so
/// a miss is read again, a few times at most. Each attempt must read texts never read before: a list read once is served
/// from its table afterwards with what it was first read with, so the same texts would compare the same values again.
/// </summary>
internal static class SharedTableRetry
{
    private const int Attempts = 20;

    /// <summary>True when <paramref name="sharesOnAttempt"/> finds the value shared on any of attempts 1 to 20.</summary>
    public static async Task<bool> AnyAttemptSharesAsync(Func<int, Task<bool>> sharesOnAttempt)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            if (await sharesOnAttempt(attempt))
            {
                return true;
            }
        }

        return false;
    }
}
