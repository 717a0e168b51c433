namespace TokenVerifier.Tests.Revocation;

/// <summary>Asserts that a <see cref="ValueTask{TResult}"/> completed before it was returned: the hot path's promise.</summary>
internal static class Synchronously
{
    public static T Result<T>(ValueTask<T> pending)
    {
        Assert.True(pending.IsCompletedSuccessfully, "The operation did not complete synchronously.");
        return pending.GetAwaiter().GetResult();
    }
}
