using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TokenVerifier.FixedRateClient;

/// <summary>
/// Per lane (no sharing between connections): each measured request's latency from when it was due and from when it was
/// sent, how late the client itself sent it, in <see cref="Stopwatch"/> ticks, and the requests that did not answer 200.
/// </summary>
internal sealed class LatencyRecorder(int lanes)
{
    private readonly List<long>[] _fromDue = PerLane(lanes);
    private readonly List<long>[] _fromSend = PerLane(lanes);
    private readonly List<long>[] _clientLate = PerLane(lanes);
    private readonly int[] _failures = new int[lanes];

    public void Record(int lane, long fromDue, long fromSend, long clientLate, int status)
    {
        _fromDue[lane].Add(fromDue);
        _fromSend[lane].Add(fromSend);
        _clientLate[lane].Add(clientLate);
        if (status != 200)
        {
            _failures[lane]++;
        }
    }

    /// <summary>"name value" lines: counts, then percentiles in milliseconds.</summary>
    public string Report(double rate, TimeSpan duration, long unfinished)
    {
        var fromDue = Merge(_fromDue);
        var fromSend = Merge(_fromSend);
        var text = new StringBuilder();
        void Line(string name, double value) => text.Append(name).Append(' ').Append(value.ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
        Line("rate", rate);
        Line("requests", fromDue.Length);
        Line("achieved-rate", fromDue.Length / duration.TotalSeconds);
        Line("not-200", _failures.Sum());
        Line("unfinished", unfinished);
        foreach (var (name, q) in (ReadOnlySpan<(string, double)>)[("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("p99.9", 0.999), ("max", 1.0)])
        {
            Line($"latency-{name}-ms", Milliseconds(fromDue, q));
        }

        Line("service-p50-ms", Milliseconds(fromSend, 0.5));
        Line("service-p99-ms", Milliseconds(fromSend, 0.99));
        var clientLate = Merge(_clientLate);
        Line("client-late-p50-ms", Milliseconds(clientLate, 0.5));
        Line("client-late-p99-ms", Milliseconds(clientLate, 0.99));
        return text.ToString();
    }

    private static List<long>[] PerLane(int lanes) => [.. Enumerable.Range(0, lanes).Select(_ => new List<long>(4096))];

    private static long[] Merge(List<long>[] lanes)
    {
        var all = lanes.SelectMany(lane => lane).ToArray();
        Array.Sort(all);
        return all;
    }

    private static double Milliseconds(long[] sorted, double quantile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(quantile * sorted.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
}
