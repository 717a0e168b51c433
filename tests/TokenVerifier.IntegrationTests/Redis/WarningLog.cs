using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace TokenVerifier.IntegrationTests.Redis;

/// <summary>
/// The warnings and errors of the apps it is given to (<see cref="SampleInstance.Warnings"/>), each with when it came on
/// this log's clock and its exception's type and message. The apps log nothing else under load; a test that must say
/// why they answered 503 prints these, and can tell from <see cref="Entries"/> which event, with which exception, came when.
/// </summary>
/// <param name="clock">The clock the lines are timed on; logs given one clock can be read side by side.</param>
public sealed class WarningLog(Stopwatch clock) : ILoggerProvider
{
    private const int MaxLines = 200;

    private readonly Stopwatch _clock = clock;
    private readonly ConcurrentQueue<Entry> _entries = new();

    /// <summary>The first events logged (at most 200), in order.</summary>
    public IReadOnlyCollection<Entry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(WarningLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel) || log._entries.Count >= MaxLines)
            {
                return;
            }

            var ms = log._clock.Elapsed.TotalMilliseconds;
            var cause = exception is null ? "" : $" [{exception.GetType().Name}: {exception.Message}]";
            var line = string.Create(CultureInfo.InvariantCulture, $"{ms,9:F0} ms {logLevel} {category} {eventId.Id}: {formatter(state, exception)}{cause}");
            log._entries.Enqueue(new Entry(ms, eventId.Id, exception?.GetType().Name, line));
        }
    }

    /// <summary>One event: when (on the log's clock), its id, its exception's type name if it had one, and its line.</summary>
    public readonly record struct Entry(double Ms, int EventId, string? ExceptionType, string Line);
}
