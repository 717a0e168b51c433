using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TokenVerifier.FixedRateClient;

/// <summary>
/// One keep-alive HTTP/1.1 connection on a raw socket: writes a prebuilt request, reads one response and returns its
/// status. Cheaper than <c>HttpClient</c> by far, so the client's own CPU stays small beside the server it measures.
/// </summary>
internal sealed class LoadConnection : IDisposable
{
    private const int ReceivePollMilliseconds = 500;

    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] ChunkedEnd = "\r\n0\r\n\r\n"u8.ToArray();

    private readonly EndPoint _server;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private Socket? _socket;

    public LoadConnection(Uri url) => _server = new IPEndPoint(IPAddress.Parse(url.Host), url.Port);

    public static byte[] BuildRequest(Uri url, string token) =>
        Encoding.ASCII.GetBytes($"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nAuthorization: Bearer {token}\r\n\r\n");

    public void Connect()
    {
        _socket?.Dispose();
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = ReceivePollMilliseconds };
        _socket.Connect(_server);
    }

    /// <summary>
    /// Sends <paramref name="request"/> and returns the response's status code; 0 if the connection failed (it is
    /// reopened). Blocking, on the caller's thread: a lane has a thread of its own, so nothing is handed between threads.
    /// </summary>
    /// <exception cref="OperationCanceledException">No complete response by <paramref name="deadline"/> (a <see cref="Stopwatch"/> timestamp).</exception>
    public int Send(byte[] request, long deadline)
    {
        try
        {
            if (_socket is null)
            {
                Connect();
            }

            _socket!.Send(request);
            return Receive(deadline);
        }
        catch (SocketException)
        {
            _socket?.Dispose();
            _socket = null;
            return 0;
        }
    }

    public void Dispose() => _socket?.Dispose();

    private int Receive(long deadline)
    {
        var received = 0;
        while (true)
        {
            var read = _socket!.Receive(_buffer, received, _buffer.Length - received, SocketFlags.None, out var error);
            if (error is SocketError.TimedOut or SocketError.WouldBlock)
            {
                // The receive timeout only wakes the lane to look at the clock: a server that stops answering must not
                // hold the client past its end.
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new OperationCanceledException("No response before the client's end.");
                }

                continue;
            }

            if (error != SocketError.Success || read == 0)
            {
                throw new SocketException((int)(error == SocketError.Success ? SocketError.ConnectionReset : error));
            }

            received += read;
            var data = _buffer.AsSpan(0, received);
            var headerEnd = data.IndexOf(HeaderEnd);
            if (headerEnd < 0)
            {
                continue;
            }

            var header = data[..headerEnd];
            var complete = ContentLength(header) is { } length
                ? received >= headerEnd + HeaderEnd.Length + length
                : data.EndsWith(ChunkedEnd);
            if (complete)
            {
                // "HTTP/1.1 200 ..."
                return Utf8Parser.TryParse(header.Slice(9, 3), out int status, out _) ? status : 0;
            }

            if (received == _buffer.Length)
            {
                throw new InvalidOperationException("A response did not fit the client's buffer.");
            }
        }
    }

    private static int? ContentLength(ReadOnlySpan<byte> header)
    {
        var name = "\r\ncontent-length:"u8;
        var at = IndexOfIgnoreCase(header, name);
        if (at < 0)
        {
            return null;
        }

        var value = header[(at + name.Length)..].TrimStart((byte)' ');
        return Utf8Parser.TryParse(value, out int length, out _) ? length : null;
    }

    private static int IndexOfIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> lowerCaseName)
    {
        for (var i = 0; i + lowerCaseName.Length <= text.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(text.Slice(i, lowerCaseName.Length), lowerCaseName))
            {
                return i;
            }
        }

        return -1;
    }
}
