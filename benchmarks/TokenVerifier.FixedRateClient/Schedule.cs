using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TokenVerifier.FixedRateClient;

/// <summary>
/// When each request is due: request <c>i</c> at start + i / rate, whatever became of the requests before it
/// (<see cref="Dispatcher"/> sends it then, or as soon as a connection is free, and the wait counts in its latency).
/// </summary>
internal sealed class Schedule
{
    private readonly double _ticksPerRequest;
    private long _start;

    public Schedule(double rate, TimeSpan length)
    {
        if (Stopwatch.Frequency != 1_000_000_000)
        {
            // Stopwatch reads CLOCK_MONOTONIC in nanoseconds on Linux, which the dispatcher's waits rely on.
            throw new PlatformNotSupportedException("The fixed-rate client runs on Linux, where Stopwatch counts nanoseconds.");
        }

        _ticksPerRequest = Stopwatch.Frequency / rate;
        Total = (long)(rate * length.TotalSeconds);
    }

    /// <summary>Requests in the whole schedule.</summary>
    public long Total { get; }

    /// <summary>The first request due at or after <paramref name="offset"/> from the start.</summary>
    public long IndexAt(TimeSpan offset) => (long)Math.Ceiling(offset.TotalSeconds * Stopwatch.Frequency / _ticksPerRequest);

    /// <summary>When request <paramref name="index"/> is due (a <see cref="Stopwatch"/> timestamp); valid once started.</summary>
    public long DueAt(long index) => Volatile.Read(ref _start) + (long)(index * _ticksPerRequest);

    public void Start() => Volatile.Write(ref _start, Stopwatch.GetTimestamp());

    /// <summary>
    /// Called once on the sending thread before its first request: the default 50 µs timer slack would make every wait
    /// for a due time that much late.
    /// </summary>
    public static void PrepareSendingThread() => _ = Native.prctl(Native.PrSetTimerSlack, 1, 0, 0, 0);

    private static class Native
    {
        public const int PrSetTimerSlack = 29;

        [DllImport("libc", SetLastError = false)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
    }
}
