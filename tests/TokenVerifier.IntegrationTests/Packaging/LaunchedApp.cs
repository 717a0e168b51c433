using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace TokenVerifier.IntegrationTests.Packaging;

/// <summary>A built web app started as its own process on a free loopback port; disposing stops it and its children.</summary>
internal sealed partial class LaunchedApp : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private LaunchedApp(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>What the app printed so far, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<LaunchedApp> StartAsync(string dll, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout)
    {
        var (output, error, process) = ProcessRunner.Start("dotnet", Path.GetDirectoryName(dll)!, environment, dll, "--urls", "http://127.0.0.1:0");
        var app = new LaunchedApp(process);
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = app.PumpAsync(output, listening);
        _ = app.PumpAsync(error, listening);
        try
        {
            app.BaseAddress = await listening.Task.WaitAsync(timeout);
            return app;
        }
        catch (TimeoutException)
        {
            app.Dispose();
            throw new TimeoutException($"{dll} did not start listening within {timeout}:\n{app.Log}");
        }
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // It has exited already.
        }

        _process.Dispose();
    }

    private async Task PumpAsync(StreamReader reader, TaskCompletionSource<Uri> listening)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }

            if (ListeningLine().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups["url"].Value));
            }
        }

        listening.TrySetException(new InvalidOperationException("The app exited before it listened:\n" + Log));
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial Regex ListeningLine();
}
