using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TokenVerifier.FixedRateClient;

/// <summary>
/// When each request is due: request <c>i</c> at start + i / rate, on lane (connection) <c>i mod lanes</c>. Each lane's
/// thread sleeps until its next request is due, whatever became of the requests before it; a lane still busy when a
/// request falls due sends it as soon as it is free, and the wait counts in its latency. Lanes sleep on their own
/// (no pacer handing requests over): each hand-over between threads cost the client a wake-up, and on one core the
/// client then fell behind its own schedule at half the app's capacity.
/// </summary>
internal sealed class Schedule
{
    private readonly double _ticksPerRequest;
    private long _start;

    public Schedule(double rate, TimeSpan length, int lanes)
    {
        if (Stopwatch.Frequency != 1_000_000_000)
        {
            // Stopwatch reads CLOCK_MONOTONIC in nanoseconds on Linux, which the lanes' absolute sleeps rely on.
            throw new PlatformNotSupportedException("The fixed-rate client runs on Linux, where Stopwatch counts nanoseconds.");
        }

        _ticksPerRequest = Stopwatch.Frequency / rate;
        Total = (long)(rate * length.TotalSeconds);
        Lanes = lanes;
    }

    /// <summary>Requests in the whole schedule.</summary>
    public long Total { get; }

    public int Lanes { get; }

    /// <summary>The first request due at or after <paramref name="offset"/> from the start.</summary>
    public long IndexAt(TimeSpan offset) => (long)Math.Ceiling(offset.TotalSeconds * Stopwatch.Frequency / _ticksPerRequest);

    /// <summary>When request <paramref name="index"/> is due (a <see cref="Stopwatch"/> timestamp); valid once started.</summary>
    public long DueAt(long index) => Volatile.Read(ref _start) + (long)(index * _ticksPerRequest);

    public void Start() => Volatile.Write(ref _start, Stopwatch.GetTimestamp());

    /// <summary>
    /// Called once on each lane's thread before its first request: the default 50 µs timer slack would make every sleep
    /// that much late.
    /// </summary>
    public static void PrepareLaneThread() => _ = Native.prctl(Native.PrSetTimerSlack, 1, 0, 0, 0);

    /// <summary>Sleeps the calling thread until request <paramref name="index"/> is due; returns at once if it already is.</summary>
    public void WaitUntilDue(long index)
    {
        var due = DueAt(index);
        if (Stopwatch.GetTimestamp() >= due)
        {
            return;
        }

        var until = new Native.Timespec { Seconds = due / 1_000_000_000, Nanoseconds = due % 1_000_000_000 };
        while (Native.clock_nanosleep(Native.ClockMonotonic, Native.TimerAbsolute, ref until, IntPtr.Zero) == Native.Interrupted)
        {
        }
    }

    private static class Native
    {
        public const int PrSetTimerSlack = 29;
        public const int ClockMonotonic = 1;
        public const int TimerAbsolute = 1;
        public const int Interrupted = 4;

        [StructLayout(LayoutKind.Sequential)]
        public struct Timespec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        // Returns the error number itself (EINTR when a signal interrupted the sleep), not -1 and errno.
        [DllImport("libc", SetLastError = false)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int clock_nanosleep(int clock, int flags, ref Timespec request, IntPtr remaining);

        [DllImport("libc", SetLastError = false)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
    }
}
