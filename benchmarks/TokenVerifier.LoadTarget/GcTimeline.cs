using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace TokenVerifier.LoadTarget;

/// <summary>
/// When each collection held the app's threads and for how long (the runtime's GC events, from the suspension's start to
/// the restart's end), on the Stopwatch clock of the fixed-rate client's series: so that benchmarks/flood/stalls.py can
/// tell the valid requests' stalls that collections caused from the others.
/// </summary>
internal sealed class GcTimeline : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int GcStart = 1;
    private const int RestartEnd = 3;
    private const int SuspendBegin = 9;

    // Events come on the listener's own thread, possibly before the constructor has run (the base constructor already
    // announces the runtime's source), so the state lives in statics.
    private static readonly Lock Gate = new();
    private static readonly List<Pause> Pauses = [];
    private static DateTime? _suspendedAt;
    private static int _generation = -1;

    /// <summary>Each pause so far: its start in Stopwatch ticks, the generation collected (-1 when no collection started
    /// in it), and its length in microseconds.</summary>
    public static IReadOnlyList<Pause> Snapshot()
    {
        lock (Gate)
        {
            return [.. Pauses];
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Informational, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        lock (Gate)
        {
            switch (e.EventId)
            {
                case SuspendBegin:
                    _suspendedAt = e.TimeStamp;
                    _generation = -1;
                    break;
                case GcStart when e.PayloadNames?.IndexOf("Depth") is >= 0 and var depth:
                    _generation = Convert.ToInt32(e.Payload![depth], CultureInfo.InvariantCulture);
                    break;
                case RestartEnd when _suspendedAt is { } suspended:
                    Pauses.Add(new Pause(ToStopwatchTicks(suspended), _generation, (long)(e.TimeStamp - suspended).TotalMicroseconds));
                    _suspendedAt = null;
                    break;
            }
        }
    }

    // The events carry wall-clock times; the series use the monotonic clock. The two advance together over a run.
    private static long ToStopwatchTicks(DateTime at)
    {
        var nowTicks = Stopwatch.GetTimestamp();
        var nowWall = DateTime.UtcNow;
        return nowTicks - (long)((nowWall - at.ToUniversalTime()).TotalSeconds * Stopwatch.Frequency);
    }

    public readonly record struct Pause(long At, int Generation, long Microseconds);
}
