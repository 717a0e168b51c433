using Microsoft.Extensions.Logging;

namespace TokenVerifier.Validation;

/// <summary>
/// Counts rejections per reason (and tokens accepted without a revocation check) and writes one Warning per reason per
/// minute: per-token events are at Debug, so an outage or a flood of forged tokens costs a few lines a minute, not one
/// per request. Metrics count every validation on their own.
/// </summary>
/// <remarks>
/// The window starts at the first rejection after a quiet one and is closed by a one-shot timer of the validator's
/// <see cref="TimeProvider"/>, so a quiet validator holds no timer, and tests drive the window with a fake clock.
/// </remarks>
internal sealed partial class RejectionSummary : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    // One slot per TokenFailure value (whatever values are added later), and a last one for unchecked acceptances.
    private static readonly int Slots = Enum.GetValues<TokenFailure>().Max(f => (int)f) + 2;

    private readonly long[] _counts = new long[Slots];
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _authenticationType;
    private ITimer? _timer;
    private int _armed;

    public RejectionSummary(ILogger logger, TimeProvider time, string authenticationType)
    {
        _logger = logger;
        _time = time;
        _authenticationType = authenticationType;
    }

    private int UncheckedSlot => _counts.Length - 1;

    /// <summary>Stops a pending window's timer, so a disposed validator leaves nothing scheduled.</summary>
    public void Dispose() => Interlocked.Exchange(ref _timer, null)?.Dispose();

    public void Rejected(TokenFailure failure)
    {
        Interlocked.Increment(ref _counts[(int)failure]);
        Arm();
    }

    public void AcceptedUnchecked()
    {
        Interlocked.Increment(ref _counts[UncheckedSlot]);
        Arm();
    }

    private void Arm()
    {
        if (Volatile.Read(ref _armed) == 0 && Interlocked.CompareExchange(ref _armed, 1, 0) == 0)
        {
            var previous = Interlocked.Exchange(ref _timer, _time.CreateTimer(static state => ((RejectionSummary)state!).Flush(), this, Window, Timeout.InfiniteTimeSpan));
            previous?.Dispose();
        }
    }

    private void Flush()
    {
        // Disarmed before the counts are taken: a rejection counted after this point arms the next window, so none is lost.
        Volatile.Write(ref _armed, 0);
        try
        {
            Write();
        }
        catch (Exception)
        {
            // This runs on a timer thread, where an exception ends the process; a logger that throws (one disposed
            // with its factory, say) costs this summary line, not the application.
        }
    }

    private void Write()
    {
        var seconds = (int)Window.TotalSeconds;
        for (var slot = 1; slot < _counts.Length; slot++)
        {
            var count = Interlocked.Exchange(ref _counts[slot], 0);
            if (count == 0)
            {
                continue;
            }

            if (slot == UncheckedSlot)
            {
                AcceptedUncheckedSummary(_logger, _authenticationType, count, seconds);
            }
            else
            {
                RejectedSummary(_logger, _authenticationType, (TokenFailure)slot, count, seconds);
            }
        }
    }

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "{AuthenticationType}: rejected {Count} token(s) for {Failure} in the last {Seconds} s (each rejection is logged at Debug level).")]
    private static partial void RejectedSummary(ILogger logger, string authenticationType, TokenFailure failure, long count, int seconds);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "{AuthenticationType}: accepted {Count} token(s) without a revocation check in the last {Seconds} s: the revocation store was unavailable and FailureMode is FailOpen.")]
    private static partial void AcceptedUncheckedSummary(ILogger logger, string authenticationType, long count, int seconds);
}
