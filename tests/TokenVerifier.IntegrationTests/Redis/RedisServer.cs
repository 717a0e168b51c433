using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TokenVerifier.IntegrationTests.Redis;

/// <summary>
/// A real <c>redis-server</c> process of this test run: a free loopback port, its own temporary directory, no
/// persistence unless asked (<see cref="SaveAsync"/>). Stopped by the pid it was started with, never by name.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly DirectoryInfo _directory;
    private readonly string[] _arguments;
    private Process? _process;

    private RedisServer(int port, DirectoryInfo directory, string[] arguments)
    {
        Port = port;
        _directory = directory;
        _arguments = arguments;
    }

    public int Port { get; }

    /// <summary>A StackExchange.Redis connection string for this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a server; <paramref name="arguments"/> are added to its command line (<c>--replicaof</c>, <c>--cluster-enabled</c>, ...).</summary>
    public static async Task<RedisServer> StartAsync(params string[] arguments)
    {
        var directory = Directory.CreateTempSubdirectory("tokenverifier-redis-");
        for (var attempt = 1; ; attempt++)
        {
            var server = new RedisServer(FreeLoopbackPort(), directory, arguments);
            try
            {
                await server.RestartAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Another process took the port between probing and binding; try another.
                await server.KillAsync();
            }
        }
    }

    /// <summary>
    /// Starts the server again on the same port and directory (it loads the last <see cref="SaveAsync"/> snapshot, if any);
    /// <paramref name="arguments"/> are added for this start only (<c>--replicaof</c> to bring a killed primary back as a replica).
    /// </summary>
    public async Task RestartAsync(params string[] arguments)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("The server is already running.");
        }

        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory.FullName }.Concat(_arguments).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed; tests/run.sh installs it (apt-get install redis-server).", ex);
        }

        var output = new StringBuilder();
        _process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (!await PingsAsync())
        {
            if (_process.HasExited || deadline.Elapsed > StartTimeout)
            {
                string log;
                lock (output)
                {
                    log = output.ToString();
                }

                throw new InvalidOperationException($"redis-server did not answer on port {Port}: {log}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Writes a snapshot to the server's directory, as a persistent deployment would have.</summary>
    public Task SaveAsync() => CommandAsync("SAVE", "+OK");

    /// <summary>Kills the process (SIGKILL), as a crash would, and waits for it to be gone.</summary>
    public async Task KillAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _directory.Delete(recursive: true);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<bool> PingsAsync()
    {
        try
        {
            await CommandAsync("PING", "+PONG");
            return true;
        }
        catch (Exception ex) when (ex is SocketException or IOException or InvalidOperationException)
        {
            return false;
        }
    }

    private async Task CommandAsync(string command, string expected)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer);
        var reply = Encoding.ASCII.GetString(buffer, 0, read);
        if (!reply.StartsWith(expected, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"redis-server answered '{reply.Trim()}' to {command}.");
        }
    }
}
