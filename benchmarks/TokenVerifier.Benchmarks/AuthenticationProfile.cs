using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace TokenVerifier.Benchmarks;

/// <summary>
/// The per-request rows of <see cref="AuthenticationBenchmarks"/> measured two other ways, for a shared machine:
/// <c>--auth-paired</c> alternates short blocks of the floor and of our handler in one process and compares their
/// quantiles (the fast blocks are the ones no other process interrupted); <c>--auth-allocations</c> gives the exact bytes
/// allocated per request and, from the runtime's allocation sampling, which types they are.
/// </summary>
internal static class AuthenticationProfile
{
    private const int WarmUpCalls = 300_000;

    public static void Paired(int blocks, int callsPerBlock)
    {
        var benchmarks = new AuthenticationBenchmarks();
        benchmarks.Setup();
        Func<Task<string?>>[] rows = [benchmarks.StaticPrincipal, benchmarks.Ours];
        var times = new[] { new double[blocks], new double[blocks] };
        for (var i = 0; i < WarmUpCalls; i++)
        {
            Call(rows[0]);
            Call(rows[1]);
        }

        for (var block = 0; block < blocks; block++)
        {
            // The order alternates, so neither row always runs right after the other.
            for (var turn = 0; turn < 2; turn++)
            {
                var row = (block + turn) % 2;
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < callsPerBlock; i++)
                {
                    Call(rows[row]);
                }

                times[row][block] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / callsPerBlock;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{blocks} blocks of {callsPerBlock} requests a side; per request, by quantile of the blocks:"));
        Console.WriteLine("| quantile | static principal (µs) | AddUserPoolAuth, repeated token (µs) | ratio | above the floor (µs) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        foreach (var q in (double[])[0, 0.1, 0.25, 0.5])
        {
            var floor = Quantile(times[0], q);
            var ours = Quantile(times[1], q);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {q:F2} | {floor:F3} | {ours:F3} | {ours / floor:F3} | {ours - floor:F3} |"));
        }

        benchmarks.Cleanup();
    }

    /// <summary>One row alone for <paramref name="seconds"/>, for a profiler attached to this process.</summary>
    public static void Loop(string row, double seconds)
    {
        var benchmarks = new AuthenticationBenchmarks();
        benchmarks.Setup();
        var call = RowOf(benchmarks, row);
        var calls = 0L;
        var start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < seconds)
        {
            for (var i = 0; i < 1000; i++)
            {
                Call(call);
            }

            calls += 1000;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{row}: {Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls:F3} µs per request over {calls} requests"));
        benchmarks.Cleanup();
    }

    public static void Allocations(string row, int calls)
    {
        var benchmarks = new AuthenticationBenchmarks();
        benchmarks.Setup();
        var call = RowOf(benchmarks, row);
        for (var i = 0; i < WarmUpCalls; i++)
        {
            Call(call);
        }

        // Exact: every call runs synchronously on this thread.
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++)
        {
            Call(call);
        }

        var exact = GC.GetAllocatedBytesForCurrentThread() - before;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{row}: {exact / (double)calls:F1} B allocated per request"));

        // By type: the runtime reports the object that crosses each ~100 KB of allocation, so over many calls each type's
        // share of the reports is its share of the bytes (an estimate, within a few bytes per type at 300,000 calls).
        using var listener = new AllocationSampler(CurrentThreadId());
        Thread.Sleep(500); // the runtime's event session starts on another thread
        for (var i = 0; i < calls; i++)
        {
            Call(call);
        }

        Thread.Sleep(1000); // and delivers the last events after the loop

        foreach (var (type, bytes) in listener.ByType().OrderByDescending(p => p.Value))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {bytes / (double)calls,8:F1}  {type}"));
        }

        benchmarks.Cleanup();
    }

    private static Func<Task<string?>> RowOf(AuthenticationBenchmarks benchmarks, string row) => row switch
    {
        "static" => benchmarks.StaticPrincipal,
        "ours" => benchmarks.Ours,
        "jwtbearer" => benchmarks.JwtBearer,
        _ => throw new ArgumentException($"The row is static, ours or jwtbearer, not '{row}'.", nameof(row)),
    };

    private static void Call(Func<Task<string?>> call) => call().GetAwaiter().GetResult();

    private static double Quantile(double[] values, double q)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[(int)(q * (sorted.Length - 1))];
    }

    // The kernel's id of this thread (Linux), which the runtime's events carry.
    private static int CurrentThreadId() =>
        int.Parse(Path.GetFileName(new FileInfo("/proc/thread-self").LinkTarget!), CultureInfo.InvariantCulture);

    private sealed class AllocationSampler(int threadId) : EventListener
    {
        private readonly Dictionary<string, long> _bytes = [];

        public Dictionary<string, long> ByType()
        {
            lock (_bytes)
            {
                return new(_bytes);
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                // The GC keyword at Verbose level: AllocationTick events.
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventName != "GCAllocationTick_V4" || eventData.OSThreadId != threadId || eventData.Payload is not { } payload)
            {
                return;
            }

            var type = (string)payload[eventData.PayloadNames!.IndexOf("TypeName")]!;
            var amount = Convert.ToInt64(payload[eventData.PayloadNames.IndexOf("AllocationAmount64")], CultureInfo.InvariantCulture);
            lock (_bytes)
            {
                _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
            }
        }
    }
}
