using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TokenVerifier.FixedRateClient;

/// <summary>
/// When each request is due: request <c>i</c> at start + i / rate, on lane (connection) <c>i mod lanes</c>. A pacer
/// thread releases each request at its due time, whatever became of the requests before it; a lane still busy sends it as
/// soon as it is free, and the wait counts in its latency.
/// </summary>
internal sealed class Schedule
{
    private readonly double _ticksPerRequest;
    private readonly SemaphoreSlim[] _lanes;
    private long _start;

    public Schedule(double rate, TimeSpan length, int lanes)
    {
        _ticksPerRequest = Stopwatch.Frequency / rate;
        Total = (long)(rate * length.TotalSeconds);
        _lanes = [.. Enumerable.Range(0, lanes).Select(_ => new SemaphoreSlim(0))];
    }

    /// <summary>Requests in the whole schedule.</summary>
    public long Total { get; }

    public int Lanes => _lanes.Length;

    /// <summary>The first request due at or after <paramref name="offset"/> from the start.</summary>
    public long IndexAt(TimeSpan offset) => (long)Math.Ceiling(offset.TotalSeconds * Stopwatch.Frequency / _ticksPerRequest);

    /// <summary>When request <paramref name="index"/> is due (a <see cref="Stopwatch"/> timestamp); valid once started.</summary>
    public long DueAt(long index) => Volatile.Read(ref _start) + (long)(index * _ticksPerRequest);

    public Task WaitAsync(int lane) => _lanes[lane].WaitAsync();

    public void Start()
    {
        Volatile.Write(ref _start, Stopwatch.GetTimestamp());
        new Thread(Pace) { IsBackground = true, Name = "pacer" }.Start();
    }

    private void Pace()
    {
        // The default 50 µs timer slack would make every sleep that much late; at tens of thousands of requests a second
        // that is a whole interval.
        _ = Native.prctl(Native.PrSetTimerSlack, 1, 0, 0, 0);
        long released = 0;
        while (released < Total)
        {
            var now = Stopwatch.GetTimestamp();
            for (; released < Total && DueAt(released) <= now; released++)
            {
                _lanes[released % _lanes.Length].Release();
            }

            if (released < Total)
            {
                var wait = (DueAt(released) - Stopwatch.GetTimestamp()) * 1_000_000_000 / Stopwatch.Frequency;
                if (wait > 0)
                {
                    var duration = new Native.Timespec { Seconds = wait / 1_000_000_000, Nanoseconds = wait % 1_000_000_000 };
                    _ = Native.nanosleep(ref duration, IntPtr.Zero);
                }
            }
        }
    }

    private static class Native
    {
        public const int PrSetTimerSlack = 29;

        [StructLayout(LayoutKind.Sequential)]
        public struct Timespec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", SetLastError = false)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int nanosleep(ref Timespec duration, IntPtr remaining);

        [DllImport("libc", SetLastError = false)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
    }
}
