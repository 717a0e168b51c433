using System.Diagnostics;

namespace TokenVerifier.IntegrationTests.Packaging;

/// <summary>Runs a program bounded in time (killed with its children past the limit) and returns what it printed.</summary>
internal static class ProcessRunner
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var (exitCode, output, error) = await RunAsync(fileName, workingDirectory, timeout, new Dictionary<string, string?>(), arguments);
        return (exitCode, output + error);
    }

    /// <summary>
    /// As the other overload, with <paramref name="environment"/> set on the child (a null value removes a variable) and
    /// the two output streams apart.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        string fileName, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var (output, error, process) = Start(fileName, workingDirectory, environment, arguments);
        using var _ = process;
        var stdout = output.ReadToEndAsync();
        var stderr = error.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a program with its output redirected; the caller reads both streams and disposes the process.</summary>
    public static (StreamReader Output, StreamReader Error, Process Process) Start(
        string fileName, string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's own MSBuild settings must not leak into the child build.
        start.Environment.Remove("MSBuildSDKsPath");
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = Process.Start(start)!;
        return (process.StandardOutput, process.StandardError, process);
    }
}
