using System.Numerics;

namespace TokenVerifier.Validation;

/// <summary>
/// A count that many threads add to at once, as every request does on a validated-token cache hit. One shared counter
/// would bounce its cache line between cores on every request; here each thread adds to a stripe chosen by its id, the
/// stripes are 128 bytes apart, and reading sums them.
/// </summary>
internal sealed class StripedCounter
{
    // 128 bytes: x64 prefetches adjacent 64-byte lines in pairs.
    private const int Spacing = 128 / sizeof(long);
    private const int MaxStripes = 64;

    // Stripe i lives at (i + 1) * Spacing, so none shares a line with the array's header.
    private readonly long[] _cells;
    private readonly int _mask;

    public StripedCounter()
        : this((int)Math.Min(MaxStripes, BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount * 2)))
    {
    }

    /// <param name="stripes">A power of two.</param>
    internal StripedCounter(int stripes)
    {
        if (stripes < 1 || !BitOperations.IsPow2(stripes))
        {
            throw new ArgumentOutOfRangeException(nameof(stripes), stripes, "The number of stripes must be a power of two.");
        }

        _mask = stripes - 1;
        _cells = new long[(stripes + 1) * Spacing];
    }

    public void Increment() => Interlocked.Increment(ref Stripe());

    /// <summary>Takes one away on this thread's stripe: a count of things begun on one thread and ended on another still sums right.</summary>
    public void Decrement() => Interlocked.Decrement(ref Stripe());

    /// <summary>The sum of the stripes. Each is read atomically but not all at once: a stripe changed during the read counts or not.</summary>
    public long Read()
    {
        long sum = 0;
        for (var stripe = 0; stripe <= _mask; stripe++)
        {
            sum += Interlocked.Read(ref _cells[(stripe + 1) * Spacing]);
        }

        return sum;
    }

    private ref long Stripe() => ref _cells[((Environment.CurrentManagedThreadId & _mask) + 1) * Spacing];
}
