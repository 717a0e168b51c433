using System.Diagnostics;
using System.Globalization;

namespace TokenVerifier.Benchmarks;

/// <summary>
/// The ratios to the RSA floor measured in alternating blocks (A B B A ...), one ratio per round, median and quartiles
/// reported. BenchmarkDotNet measures one row after the other, so on a shared machine a change in background load between
/// two rows lands in their ratio; here both sides of every ratio are measured within milliseconds of each other. The ratio
/// of the fastest blocks compares each side at its least disturbed.
/// </summary>
internal static class PairedRatios
{
    private const int Rounds = 61;
    private const int OperationsPerBlock = 400;

    public static void Run()
    {
        var benchmarks = new ValidationBenchmarks();
        benchmarks.SetupDistinctTokens();
        try
        {
            Func<bool> floor = benchmarks.RsaVerifyData;
            (string Name, Func<bool> Run)[] rows =
            [
                ("JsonWebTokenHandler, JsonWebKey", () => benchmarks.IdentityModelJsonWebKey().GetAwaiter().GetResult()),
                ("UserPoolTokenValidator, cold", () => benchmarks.OursCold().GetAwaiter().GetResult()),
                ("UserPoolTokenValidator, cold + claims read", () => benchmarks.OursColdClaimsRead().GetAwaiter().GetResult() > 0),
                ("UserPoolTokenValidator, cold, cache on (miss)", () => benchmarks.OursColdCacheMiss().GetAwaiter().GetResult()),
                ("UserPoolTokenValidator, warm (cache hit)", () => benchmarks.OursWarm().GetAwaiter().GetResult()),
            ];

            Console.WriteLine($"Paired ratios to RSA.VerifyData: {Rounds} rounds of {OperationsPerBlock} operations a side, order alternating.");
            Console.WriteLine();
            Console.WriteLine("| Row | floor, median (us) | row, median (us) | ratio, median | ratio, 25%-75% | ratio of the fastest blocks |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var (name, run) in rows)
            {
                Measure(floor, OperationsPerBlock);
                Measure(run, OperationsPerBlock);
                var floorTimes = new double[Rounds];
                var rowTimes = new double[Rounds];
                var ratios = new double[Rounds];
                for (var r = 0; r < Rounds; r++)
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
        finally
        {
            benchmarks.Cleanup();
        }
    }

    // Microseconds per operation over one block.
    private static double Measure(Func<bool> operation, int count)
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

    private static double Quantile(double[] values, double q)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[(int)Math.Round(q * (sorted.Length - 1))];
    }
}
