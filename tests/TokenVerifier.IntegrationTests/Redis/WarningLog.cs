using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace TokenVerifier.IntegrationTests.Redis;

/// <summary>
/// The warnings and errors of the apps it is given to (<see cref="SampleInstance.Warnings"/>), each with when it came on
/// this log's clock and its exception's type and message. The apps log nothing else under load; a test that must say
/// why they answered 503 prints these.
/// </summary>
public sealed class WarningLog : ILoggerProvider
{
    private const int MaxLines = 200;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>Milliseconds on this log's clock, to set an event of the test beside the lines.</summary>
    public double ElapsedMs => _clock.Elapsed.TotalMilliseconds;

    /// <summary>The first lines logged (at most 200), in order.</summary>
    public IReadOnlyCollection<string> Lines => _lines;

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
            if (!IsEnabled(logLevel) || log._lines.Count >= MaxLines)
            {
                return;
            }

            var cause = exception is null ? "" : $" [{exception.GetType().Name}: {exception.Message}]";
            log._lines.Enqueue(string.Create(CultureInfo.InvariantCulture, $"{log.ElapsedMs,9:F0} ms {logLevel} {category} {eventId.Id}: {formatter(state, exception)}{cause}"));
        }
    }
}
