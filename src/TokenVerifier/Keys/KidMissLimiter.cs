namespace TokenVerifier.Keys;

/// <summary>
/// Decides whether an unknown <c>kid</c> may cause a key fetch. At most <see cref="MaxPerWindow"/> fetches in any
/// window of the kid-miss interval, however many forged kids arrive; within that, the first miss fetches at once and the
/// next ones wait 1 s, 2 s, 4 s after the previous fetch. So one forged kid cannot hold off a genuine rotation published
/// just after it (the rotation's first token gets a fetch within a second), and a flood still costs four fetches an interval.
/// Not thread-safe: the key cache calls it under its lock.
/// </summary>
internal sealed class KidMissLimiter(TimeSpan window)
{
    public const int MaxPerWindow = 4;

    private static readonly TimeSpan FirstGap = TimeSpan.FromSeconds(1);

    private readonly Queue<DateTimeOffset> _recent = new(MaxPerWindow);
    private DateTimeOffset _last;

    public bool TryAcquire(DateTimeOffset now)
    {
        while (_recent.Count > 0 && now - _recent.Peek() >= window)
        {
            _recent.Dequeue();
        }

        if (_recent.Count >= MaxPerWindow)
        {
            return false;
        }

        if (_recent.Count > 0)
        {
            // The gap grows only while misses keep fetching; short intervals keep their fetches spread over the window.
            var gap = Min(FirstGap * (1 << (_recent.Count - 1)), window / MaxPerWindow);
            if (now - _last < gap)
            {
                return false;
            }
        }

        _recent.Enqueue(now);
        _last = now;
        return true;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

}
