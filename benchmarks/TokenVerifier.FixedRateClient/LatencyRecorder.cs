using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TokenVerifier.FixedRateClient;

/// <summary>
/// Each measured request's latency from when it was due and from when it was sent, how late the client itself sent it,
/// in <see cref="Stopwatch"/> ticks, and the requests that did not answer 200. Written by the dispatcher's one thread.
/// The lists are sized for every request up front: growing them copied megabytes at 65,536 and 131,072 requests, and the
/// collections that followed stalled the client for 15–20 ms at the same moments of every run.
/// </summary>
internal sealed class LatencyRecorder(int requests)
{
    private readonly List<long> _due = new(requests);
    private readonly List<long> _fromDue = new(requests);
    private readonly List<long> _fromSend = new(requests);
    private readonly List<long> _clientLate = new(requests);
    private int _failures;

    public void Record(long due, long fromDue, long fromSend, long clientLate, int status)
    {
        _due.Add(due);
        _fromDue.Add(fromDue);
        _fromSend.Add(fromSend);
        _clientLate.Add(clientLate);
        if (status != 200)
        {
            _failures++;
        }
    }

    /// <summary>"name value" lines: counts, then percentiles in milliseconds.</summary>
    public string Report(double rate, TimeSpan duration, long unfinished)
    {
        var fromDue = Sorted(_fromDue);
        var fromSend = Sorted(_fromSend);
        var text = new StringBuilder();
        void Line(string name, double value) => text.Append(name).Append(' ').Append(value.ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
        Line("rate", rate);
        Line("requests", fromDue.Length);
        Line("achieved-rate", fromDue.Length / duration.TotalSeconds);
        Line("not-200", _failures);
        Line("unfinished", unfinished);
        foreach (var (name, q) in (ReadOnlySpan<(string, double)>)[("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("p99.9", 0.999), ("max", 1.0)])
        {
            Line($"latency-{name}-ms", Milliseconds(fromDue, q));
        }

        Line("service-p50-ms", Milliseconds(fromSend, 0.5));
        Line("service-p99-ms", Milliseconds(fromSend, 0.99));
        var clientLate = Sorted(_clientLate);
        Line("client-late-p50-ms", Milliseconds(clientLate, 0.5));
        Line("client-late-p99-ms", Milliseconds(clientLate, 0.99));
        return text.ToString();
    }

    /// <summary>"due fromDue fromSend" a line, in the order the requests were answered.</summary>
    public void WriteSeries(string path) =>
        File.WriteAllLines(path, _due.Select((due, i) => string.Create(CultureInfo.InvariantCulture, $"{due} {_fromDue[i]} {_fromSend[i]}")));

    private static long[] Sorted(List<long> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    private static double Milliseconds(long[] sorted, double quantile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(quantile * sorted.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
}
