using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace TokenVerifier.IntegrationTests.Emulator;

/// <summary>
/// One cognito-local server on a free loopback port, with its state in a fresh temporary directory. Disposing it kills
/// the one process it started and deletes that directory.
/// </summary>
public sealed class CognitoLocalProcess : IAsyncDisposable
{
    private const int MaxAttempts = 3;
    private const int LogLines = 200;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly DirectoryInfo _workingDirectory;
    private readonly Queue<string> _log = new();

    private CognitoLocalProcess(Process process, DirectoryInfo workingDirectory, int port)
    {
        _process = process;
        _workingDirectory = workingDirectory;
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>The node project with cognito-local and the sign-in scripts, as installed by <c>npm ci</c>.</summary>
    public static string EmulatorDirectory { get; } = typeof(CognitoLocalProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "EmulatorDirectory").Value!;

    /// <summary>Where the emulator listens, for example <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>Starts the emulator and waits until <c>/health</c> answers; retries on another port if the chosen one was taken meanwhile.</summary>
    public static async Task<CognitoLocalProcess> StartAsync(HttpClient http)
    {
        var startScript = Path.Combine(EmulatorDirectory, "node_modules", "cognito-local", "lib", "bin", "start.js");
        if (!File.Exists(startScript))
        {
            throw new InvalidOperationException($"cognito-local is not installed: run `npm ci` in {EmulatorDirectory} (tests/run.sh does).");
        }

        for (var attempt = 1; ; attempt++)
        {
            var emulator = Launch(startScript, FreeLoopbackPort());
            try
            {
                await emulator.WaitUntilHealthyAsync(http);
                return emulator;
            }
            catch (InvalidOperationException) when (attempt < MaxAttempts && emulator.LogContains("EADDRINUSE"))
            {
                await emulator.DisposeAsync();
            }
            catch
            {
                await emulator.DisposeAsync();
                throw;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                _workingDirectory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary directory is harmless; failing the run over it is not.
            }
        }
    }

    private static CognitoLocalProcess Launch(string startScript, int port)
    {
        // State lives under the working directory's .cognito; a fresh directory is a fresh emulator. Plain user names
        // ("alice") need UsernameAttributes: [], otherwise every pool signs users in by e-mail address.
        var workingDirectory = Directory.CreateTempSubdirectory("tokenverifier-cognito-");
        Directory.CreateDirectory(Path.Combine(workingDirectory.FullName, ".cognito"));
        File.WriteAllText(Path.Combine(workingDirectory.FullName, ".cognito", "config.json"), """{"UserPoolDefaults":{"UsernameAttributes":[]}}""");

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = workingDirectory.FullName,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--require");
        start.ArgumentList.Add(Path.Combine(EmulatorDirectory, "exit-with-parent.cjs"));
        start.ArgumentList.Add(startScript);
        start.Environment["HOST"] = "127.0.0.1";
        start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var process = new Process { StartInfo = start };
        var emulator = new CognitoLocalProcess(process, workingDirectory, port);
        process.OutputDataReceived += (_, e) => emulator.Append(e.Data);
        process.ErrorDataReceived += (_, e) => emulator.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return emulator;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilHealthyAsync(HttpClient http)
    {
        var health = new Uri(Endpoint, "health");
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                // Lets the output readers reach the end, so the message (and the EADDRINUSE retry) sees the whole log.
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"cognito-local exited with code {_process.ExitCode} while starting:\n{LogTail()}");
            }

            try
            {
                using var response = await http.GetAsync(health);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            // Polls a process we do not control; this is not waiting for the test clock.
            await Task.Delay(50);
        }

        throw new InvalidOperationException($"cognito-local did not answer {health} within {StartTimeout.TotalSeconds} s:\n{LogTail()}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Enqueue(line);
            if (_log.Count > LogLines)
            {
                _log.Dequeue();
            }
        }
    }

    private bool LogContains(string text)
    {
        lock (_log)
        {
            return _log.Any(line => line.Contains(text, StringComparison.Ordinal));
        }
    }

    private string LogTail()
    {
        lock (_log)
        {
            return string.Join('\n', _log);
        }
    }
}
