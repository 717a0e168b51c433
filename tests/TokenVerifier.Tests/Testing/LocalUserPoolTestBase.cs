using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Testing;

namespace TokenVerifier.Tests.Testing;

/// <summary>What the tests of <see cref="LocalUserPool"/> share: a pool of the default id on its own clock, fresh for each test.</summary>
public abstract class LocalUserPoolTestBase : IDisposable
{
    /// <summary>Where each test's clock starts.</summary>
    protected static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    protected LocalUserPoolTestBase() => Pool = new LocalUserPool(timeProvider: Time);

    /// <summary>The pool's clock.</summary>
    protected FakeTimeProvider Time { get; } = new(Start);

    /// <summary>The pool under test.</summary>
    protected LocalUserPool Pool { get; }

    public void Dispose()
    {
        Pool.Dispose();
        GC.SuppressFinalize(this);
    }
}
