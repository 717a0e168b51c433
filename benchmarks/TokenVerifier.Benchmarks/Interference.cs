using System.Globalization;
using System.Runtime.CompilerServices;

namespace TokenVerifier.Benchmarks;

/// <summary>
/// What work of a known kind costs the RSA floor when it runs between two verifications: arithmetic that touches no
/// memory, reads and writes of a buffer of a given size, and small allocations. For each, the filler alone, the floor
/// alone and the two back to back run in alternating blocks; what the pair costs above the sum of its parts is the
/// filler's cost to OpenSSL. Tells whether the cold path's interference comes from the time spent between calls, from
/// the memory touched, or from allocation.
/// </summary>
internal static class Interference
{
    private const int Rounds = 31;
    private const int Operations = 400;

    private static readonly byte[] Buffer = new byte[256 * 1024];
    private static object? kept;

    public static void Run()
    {
        var benchmarks = new ValidationBenchmarks();
        benchmarks.SetupDistinctTokens();
        try
        {
            Func<bool> floor = benchmarks.RsaVerifyData;
            (string Filler, Func<bool> Run)[] fillers =
            [
                ("nothing", () => true),
                ("arithmetic, ~2 us, no memory", () => Spin(2000) != 0),
                ("arithmetic, ~4 us, no memory", () => Spin(4000) != 0),
                ("read 4 KB", () => Read(4 * 1024) != 1),
                ("read 16 KB", () => Read(16 * 1024) != 1),
                ("read 64 KB", () => Read(64 * 1024) != 1),
                ("read 256 KB", () => Read(256 * 1024) != 1),
                ("write 4 KB", () => Write(4 * 1024)),
                ("write 16 KB", () => Write(16 * 1024)),
                ("allocate 760 B in 10 objects", Allocate),
            ];
            var steps = PipelineStages.Steps(benchmarks.Token);
            var all = steps.Select(s => s.Run).ToArray();
            fillers = [.. fillers, .. steps.Select(s => ("step: " + s.Step, s.Run)), ("all the steps", () => all.All(s => s()))];

            Console.WriteLine($"The RSA floor with a filler between its calls, {Rounds} rounds of {Operations} operations in alternating blocks.");
            Console.WriteLine();
            Console.WriteLine("| filler | filler alone (us) | floor alone (us) | filler then floor (us) | cost to the floor |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var (filler, run) in fillers)
            {
                var alone = new double[Rounds];
                var floors = new double[Rounds];
                var pairs = new double[Rounds];
                var extra = new double[Rounds];
                PairedRatios.WarmUp(floor, Operations / 10, run, Operations / 10);

                for (var r = 0; r < Rounds; r++)
                {
                    var a = PairedRatios.Measure(run, Operations);
                    var f = PairedRatios.Measure(floor, Operations);
                    var p = PairedRatios.Measure(() => run() && floor(), Operations);
                    (alone[r], floors[r], pairs[r], extra[r]) = (a, f, p, (p - a - f) / f);
                }

                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {filler} | {PairedRatios.Quantile(alone, 0.5):F3} | {PairedRatios.Quantile(floors, 0.5):F3} | {PairedRatios.Quantile(pairs, 0.5):F3} | {PairedRatios.Quantile(extra, 0.5):P1} |"));
            }
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong Spin(int iterations)
    {
        var x = (ulong)iterations;
        for (var i = 0; i < iterations; i++)
        {
            x = (x * 6364136223846793005UL) + 1442695040888963407UL;
        }

        return x | 1;
    }

    // One byte a cache line.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Read(int bytes)
    {
        var sum = 0;
        for (var i = 0; i < bytes; i += 64)
        {
            sum += Buffer[i];
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool Write(int bytes)
    {
        Buffer.AsSpan(0, bytes).Fill((byte)bytes);
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool Allocate()
    {
        object? last = null;
        for (var i = 0; i < 10; i++)
        {
            last = new byte[52];
        }

        kept = last;
        return true;
    }
}
