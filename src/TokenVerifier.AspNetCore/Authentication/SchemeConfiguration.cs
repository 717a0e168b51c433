using System.Numerics;
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
    // Every request takes and ends a lease: one shared count would bounce its cache line between cores on each. Leases are
    // counted in stripes chosen by thread, 128 bytes apart (x64 prefetches 64-byte lines in pairs); a lease may end on
    // another thread, so a stripe can go negative, and only the sum means anything.
    private const int Spacing = 128 / sizeof(long);
    private static readonly int StripeMask = (int)Math.Min(64, BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount * 2)) - 1;

    private readonly long[] _leases = new long[(StripeMask + 2) * Spacing];
    private int _retired;
    private int _disposed;

    public UserPoolAuthenticationOptions Options { get; } = options;

    public UserPoolTokenValidator Validator { get; } = validator;

    /// <summary>Counts a validation in; false once the configuration has been retired (a successor is in force).</summary>
    public bool TryLease()
    {
        // The increment is a full fence, as is the retirement's exchange: either this read sees the retirement and
        // backs out, or every sum the retirement takes afterwards counts this lease.
        Interlocked.Increment(ref Stripe());
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
        Interlocked.Decrement(ref Stripe());
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

    private ref long Stripe() => ref _leases[((Environment.CurrentManagedThreadId & StripeMask) + 1) * Spacing];

    // Only ends of leases change the stripes once retired (a lease that backs out adds and takes away on its own
    // stripe), so a sum read stripe by stripe may count a lease that has ended, never miss one under way: zero is final.
    private void DisposeWhenUnused()
    {
        long sum = 0;
        for (var stripe = 0; stripe <= StripeMask; stripe++)
        {
            sum += Interlocked.Read(ref _leases[(stripe + 1) * Spacing]);
        }

        if (sum == 0 && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Validator.Dispose();
        }
    }
}
