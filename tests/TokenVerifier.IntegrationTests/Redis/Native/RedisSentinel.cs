using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TokenVerifier.IntegrationTests.Redis.Native;

/// <summary>A real <c>redis-server --sentinel</c> process on a free loopback port, watching one primary; killed by its pid.</summary>
internal sealed class RedisSentinel : IAsyncDisposable
{
    public const string ServiceName = "tvprimary";

    /// <summary>How long the primary must be unreachable before a Sentinel considers it down (<c>down-after-milliseconds</c>).</summary>
    public static readonly TimeSpan DownAfter = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The Sentinels' <c>failover-timeout</c>: a failover not done by then is given up, and a Sentinel tries again after twice
    /// this time; short, so a failed election on a busy machine costs seconds, not tens of seconds.
    /// </summary>
    public static readonly TimeSpan FailoverTimeout = TimeSpan.FromSeconds(2);

    private readonly DirectoryInfo _directory;
    private readonly Process _process;

    private RedisSentinel(int port, DirectoryInfo directory, Process process)
    {
        Port = port;
        _directory = directory;
        _process = process;
    }

    public int Port { get; }

    public static async Task<RedisSentinel> StartAsync(int primaryPort)
    {
        var directory = Directory.CreateTempSubdirectory("tokenverifier-sentinel-");
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var config = Path.Combine(directory.FullName, "sentinel.conf");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            port {port}
            bind 127.0.0.1
            dir {directory.FullName}
            sentinel monitor {ServiceName} 127.0.0.1 {primaryPort} 2
            sentinel down-after-milliseconds {ServiceName} {DownAfter.TotalMilliseconds}
            sentinel failover-timeout {ServiceName} {FailoverTimeout.TotalMilliseconds}
            sentinel parallel-syncs {ServiceName} 1

            """));
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(config);
        start.ArgumentList.Add("--sentinel");
        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server --sentinel did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var sentinel = new RedisSentinel(port, directory, process);
        var clock = Stopwatch.StartNew();
        while (!await sentinel.AcceptsAsync())
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(15))
            {
                await sentinel.DisposeAsync();
                throw new InvalidOperationException($"redis-server --sentinel did not listen on port {port}.");
            }

            await Task.Delay(20);
        }

        return sentinel;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _directory.Delete(recursive: true);
    }

    private async Task<bool> AcceptsAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
