using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TokenVerifier.AspNetCore.Tests.Security;

/// <summary>
/// A real HTTP/1.1 server on a loopback port, small enough to play a JWKS endpoint that redirects or an HTTP proxy: it
/// answers each request from its request line (<c>GET /path</c>, or <c>GET http://host/path</c> when used as a proxy).
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, Response> _answer;
    private readonly List<string> _targets = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackHttpServer(Func<string, Response> answer)
    {
        _answer = answer;
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>The request targets received, in order: the path, or the absolute URL a proxy client sends.</summary>
    public IReadOnlyList<string> Targets
    {
        get
        {
            lock (_targets)
            {
                return [.. _targets];
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var head = new StringBuilder();
            var buffer = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(buffer) == 1)
            {
                head.Append((char)buffer[0]);
            }

            var target = head.ToString().Split(' ', 3) is [_, var t, _] ? t : "";
            lock (_targets)
            {
                _targets.Add(target);
            }

            var response = _answer(target);
            var body = Encoding.UTF8.GetBytes(response.Body);
            var text = new StringBuilder()
                .Append("HTTP/1.1 ").Append(response.Status).Append(' ').Append(((HttpStatusCode)response.Status).ToString()).Append("\r\n")
                .Append("Content-Type: application/json\r\n")
                .Append("Content-Length: ").Append(body.Length).Append("\r\n")
                .Append("Connection: close\r\n");
            if (response.Location is not null)
            {
                text.Append("Location: ").Append(response.Location).Append("\r\n");
            }

            await stream.WriteAsync(Encoding.ASCII.GetBytes(text.Append("\r\n").ToString()));
            await stream.WriteAsync(body);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }

    public sealed record Response(int Status, string Body, string? Location = null);
}
