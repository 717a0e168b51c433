using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using TokenVerifier.Validation;

namespace TokenVerifier.Benchmarks;

/// <summary>
/// The ratios to the RSA floor measured in alternating blocks (A B B A ...), one ratio per round, median and quartiles
/// reported. BenchmarkDotNet measures one row after the other, so on a shared machine a change in background load between
/// two rows lands in their ratio; here both sides of every ratio are measured within milliseconds of each other. The ratio
/// of the fastest blocks compares each side at its least disturbed. The 16 KiB rows have a floor of their own size, the
/// verification of their own signing input, so that hashing 15 KB more is not counted as the validator's.
/// </summary>
internal static class PairedRatios
{
    private const int DefaultRounds = 61;
    private const int OperationsPerBlock = 400;

    /// <summary>Every row whose name contains <paramref name="only"/> (all when null), <paramref name="rounds"/> rounds each.</summary>
    public static void Run(string? only = null, int rounds = DefaultRounds)
    {
        var benchmarks = new ValidationBenchmarks();
        benchmarks.SetupDistinctTokens();
        benchmarks.SetupForgedTokens();
        try
        {
            var rows = Rows(benchmarks);
            RunRows(rows, only, rounds);
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    /// <summary>
    /// Runs the first row whose name contains <paramref name="row"/> (its floor with "floor") for <paramref name="seconds"/>,
    /// nothing else: for a profiler (perf with DOTNET_PerfMapEnabled=1) to attribute the time of one path.
    /// </summary>
    public static void Loop(string row, double seconds)
    {
        var benchmarks = new ValidationBenchmarks();
        benchmarks.SetupDistinctTokens();
        benchmarks.SetupForgedTokens();
        try
        {
            var floorOnly = row.StartsWith("floor:", StringComparison.Ordinal);
            var name = floorOnly ? row["floor:".Length..] : row;
            var found = Rows(benchmarks).First(r => r.Name.Contains(name, StringComparison.OrdinalIgnoreCase));
            var operation = floorOnly ? found.Floor : found.Run;
            var stop = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
            long count = 0;
            while (Stopwatch.GetTimestamp() < stop)
            {
                Measure(operation, OperationsPerBlock);
                count += OperationsPerBlock;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(floorOnly ? "floor of " : "")}{found.Name}: {count} operations, {seconds * 1e6 / count:F2} us each"));
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    private static (string Name, Func<bool> Floor, Func<bool> Run)[] Rows(ValidationBenchmarks benchmarks)
    {
            Func<bool> floor1K = benchmarks.RsaVerifyData;
            Func<bool> floorLarge = benchmarks.RsaVerifyDataLarge;
            return
            [
                ("JsonWebTokenHandler, JsonWebKey", floor1K, () => benchmarks.IdentityModelJsonWebKey().GetAwaiter().GetResult()),
                ("UserPoolTokenValidator, cold", floor1K, () => benchmarks.OursCold().GetAwaiter().GetResult()),
                ("UserPoolTokenValidator, cold + claims read", floor1K, () => benchmarks.OursColdClaimsRead().GetAwaiter().GetResult() > 0),
                ("UserPoolTokenValidator, cold, cache on (miss)", floor1K, () => benchmarks.OursColdCacheMiss().GetAwaiter().GetResult()),
                ("UserPoolTokenValidator, warm (cache hit)", floor1K, () => benchmarks.OursWarm().GetAwaiter().GetResult()),
                ("forged: bad signature, 1 KB", floor1K, () => benchmarks.ForgedBadSignature() == TokenFailure.InvalidSignature),
                ("forged: bad signature, 16 KiB (16 KiB floor)", floorLarge, () => benchmarks.ForgedBadSignatureLarge() == TokenFailure.InvalidSignature),
                ("forged: unknown issuer, 1 KB", floor1K, () => benchmarks.ForgedUnknownIssuer() == TokenFailure.UnknownIssuer),
                ("forged: unknown issuer, 16 KiB (16 KiB floor)", floorLarge, () => benchmarks.ForgedUnknownIssuerLarge() == TokenFailure.UnknownIssuer),
            ];
    }

    private static void RunRows((string Name, Func<bool> Floor, Func<bool> Run)[] rows, string? only, int rounds)
    {
            Console.WriteLine($"Paired ratios to RSA.VerifyData: {rounds} rounds of {OperationsPerBlock} operations a side, order alternating.");
            Console.WriteLine();
            Console.WriteLine("| Row | floor, median (us) | row, median (us) | ratio, median | ratio, 25%-75% | ratio of the fastest blocks |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var (name, floor, run) in rows)
            {
                if (only is not null && !name.Contains(only, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                WarmUp(floor, OperationsPerBlock / 10, run, OperationsPerBlock / 10);

                var floorTimes = new double[rounds];
                var rowTimes = new double[rounds];
                var ratios = new double[rounds];
                for (var r = 0; r < rounds; r++)
                {
                    if (r % 2 == 0)
                    {
                        floorTimes[r] = Measure(floor, OperationsPerBlock);
                        rowTimes[r] = Measure(run, OperationsPerBlock);
                    }
                    else
                    {
                        rowTimes[r] = Measure(run, OperationsPerBlock);
                        floorTimes[r] = Measure(floor, OperationsPerBlock);
                    }

                    ratios[r] = rowTimes[r] / floorTimes[r];
                }

                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {name} | {Quantile(floorTimes, 0.5):F2} | {Quantile(rowTimes, 0.5):F3} | {Quantile(ratios, 0.5):F3} | {Quantile(ratios, 0.25):F3}-{Quantile(ratios, 0.75):F3} | {Quantile(rowTimes, 0) / Quantile(floorTimes, 0):F3} |"));
            }
    }

    // Microseconds per operation over one block.
    /// <summary>Runs <paramref name="operation"/> <paramref name="count"/> times; the microseconds of one. Throws if it ever returns false.</summary>
    internal static double Measure(Func<bool> operation, int count)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            if (!operation())
            {
                throw new InvalidOperationException("A benchmarked validation failed.");
            }
        }

        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / count;
    }

    /// <summary>
    /// Runs <paramref name="floor"/> and <paramref name="row"/> in turn, in blocks of the given counts, in half-second
    /// steps until a step passes in which the runtime compiled nothing (at most 10 s): both are then at their final tier
    /// before any block counts. One block each (12 ms on a fast machine) left rows measured partly before that, and a
    /// fixed half second was not enough for the first row of a process, whose start leaves the background compiler
    /// a backlog (the unknown-issuer row run alone: 7.8 µs instead of 0.7).
    /// </summary>
    internal static void WarmUp(Func<bool> floor, int floorCount, Func<bool> row, int rowCount)
    {
        var limit = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
        long compiled;
        do
        {
            compiled = JitInfo.GetCompiledMethodCount();
            var step = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 2);
            while (Stopwatch.GetTimestamp() < step)
            {
                Measure(floor, floorCount);
                Measure(row, rowCount);
            }
        }
        while (JitInfo.GetCompiledMethodCount() != compiled && Stopwatch.GetTimestamp() < limit);
    }

    /// <summary>The value at quantile <paramref name="q"/> (0 to 1) of <paramref name="values"/>, nearest rank.</summary>
    internal static double Quantile(double[] values, double q)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[(int)Math.Round(q * (sorted.Length - 1))];
    }
}
