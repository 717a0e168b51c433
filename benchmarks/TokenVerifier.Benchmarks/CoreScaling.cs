using System.Diagnostics;
using System.Globalization;

namespace TokenVerifier.Benchmarks;

/// <summary>
/// How cold validations scale from one thread to two against how the raw RSA verification scales on the same machine in
/// the same run: each side runs for a fixed time on one thread, then on two, in alternating rounds, and the median of
/// each round's two-to-one throughput ratio is reported. Shared writes or locks on the validation path would show as
/// ours scaling worse than the floor.
/// </summary>
internal static class CoreScaling
{
    private const int Rounds = 7;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    public static void Run()
    {
        var benchmarks = new ValidationBenchmarks();
        benchmarks.Setup();
        try
        {
            (string Name, Func<bool> Run)[] rows =
            [
                ("RSA.VerifyData (floor)", benchmarks.RsaVerifyData),
                ("UserPoolTokenValidator, cold", () => benchmarks.OursCold().GetAwaiter().GetResult()),
            ];

            var scaling = rows.ToDictionary(r => r.Name, _ => new List<double>());
            foreach (var (_, run) in rows)
            {
                Throughput(run, 1);
            }

            for (var round = 0; round < Rounds; round++)
            {
                foreach (var (name, run) in round % 2 == 0 ? rows : rows.Reverse())
                {
                    var one = Throughput(run, 1);
                    var two = Throughput(run, 2);
                    scaling[name].Add(two / one);
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Two threads / one thread, {Rounds} rounds of {Window.TotalSeconds} s a side, {Environment.ProcessorCount} cores:"));
            Console.WriteLine();
            Console.WriteLine("| Row | 2-thread / 1-thread, median | lowest | highest |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var (name, ratios) in scaling)
            {
                ratios.Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {ratios[ratios.Count / 2]:F3} | {ratios[0]:F3} | {ratios[^1]:F3} |"));
            }

            var floor = scaling[rows[0].Name];
            var ours = scaling[rows[1].Name];
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Ours' scaling / the floor's scaling (medians): {ours[ours.Count / 2] / floor[floor.Count / 2]:F3}"));
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    // Operations per second over the window, counted per thread and summed; every result is consumed.
    private static double Throughput(Func<bool> run, int threads)
    {
        var counts = new long[threads];
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            var watch = Stopwatch.StartNew();
            long n = 0;
            while (watch.Elapsed < Window)
            {
                if (!run())
                {
                    throw new InvalidOperationException("A benchmark validation failed.");
                }

                n++;
            }

            counts[t] = n;
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        return counts.Sum() / Window.TotalSeconds;
    }
}
