using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>
/// One scheme's configuration in force: the handler's options and the validator built from the same reading of the
/// configuration. Each validation leases it; when a reload replaces it, it is retired, and its validator is disposed once
/// the last validation that started on it has ended, so a token being validated when a reload lands is answered by the
/// configuration it started with.
/// </summary>
internal sealed class SchemeConfiguration(UserPoolAuthenticationOptions options, UserPoolTokenValidator validator)
{
    // Every request takes and ends a lease: one shared count would bounce its cache line between cores on each. A lease
    // may end on another thread than it began, so a stripe can go negative; only the sum means anything.
    private readonly StripedCounter _leases = new();
    private int _retired;
    private int _disposed;

    public UserPoolAuthenticationOptions Options { get; } = options;

    public UserPoolTokenValidator Validator { get; } = validator;

    /// <summary>Counts a validation in; false once the configuration has been retired (a successor is in force).</summary>
    public bool TryLease()
    {
        // The increment is a full fence, as is the retirement's exchange: either this read sees the retirement and
        // backs out, or every sum the retirement takes afterwards counts this lease.
        _leases.Increment();
        if (Volatile.Read(ref _retired) == 0)
        {
            return true;
        }

        EndLease();
        return false;
    }

    /// <summary>Ends a lease <see cref="TryLease"/> took; after a retirement, the last one disposes the validator.</summary>
    public void EndLease()
    {
        _leases.Decrement();
        if (Volatile.Read(ref _retired) != 0)
        {
            DisposeWhenUnused();
        }
    }

    /// <summary>Ends the configuration's being in force (called once, by whoever replaced it or let it go).</summary>
    public void Retire()
    {
        Interlocked.Exchange(ref _retired, 1);
        DisposeWhenUnused();
    }

    // Only ends of leases change the stripes once retired (a lease that backs out adds and takes away on its own
    // stripe), so a sum read stripe by stripe may count a lease that has ended, never miss one under way: zero is final.
    private void DisposeWhenUnused()
    {
        if (_leases.Read() == 0 && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Validator.Dispose();
        }
    }
}
