using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TokenVerifier.FixedRateClient;

/// <summary>
/// One keep-alive HTTP/1.1 connection on a raw, non-blocking socket: writes a prebuilt request, reads one response as it
/// arrives and returns its status. Cheaper than <c>HttpClient</c> by far, so the client's own CPU stays small beside the
/// server it measures.
/// </summary>
internal sealed class LoadConnection : IDisposable
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] ChunkedEnd = "\r\n0\r\n\r\n"u8.ToArray();

    private readonly EndPoint _server;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private Socket? _socket;
    private int _received;

    public LoadConnection(Uri url) => _server = new IPEndPoint(IPAddress.Parse(url.Host), url.Port);

    public static byte[] BuildRequest(Uri url, string token) =>
        Encoding.ASCII.GetBytes($"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nAuthorization: Bearer {token}\r\n\r\n");

    /// <summary>The socket's file descriptor, for <c>ppoll</c>.</summary>
    public int Descriptor => (int)_socket!.SafeHandle.DangerousGetHandle();

    /// <summary>Opens the connection (blocking) and leaves it non-blocking for <see cref="TrySend"/> and <see cref="TryReceive"/>.</summary>
    public void Connect()
    {
        _socket?.Dispose();
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(_server);
        _socket.Blocking = false;
        _received = 0;
    }

    /// <summary>Writes <paramref name="request"/>; false when the connection failed (it is reopened, the request lost).</summary>
    public bool TrySend(byte[] request)
    {
        try
        {
            // A request is about a kilobyte, which an idle connection's send buffer takes at once; should it not, the
            // rest goes as soon as there is room.
            var sent = 0;
            while (sent < request.Length)
            {
                var written = _socket!.Send(request, sent, request.Length - sent, SocketFlags.None, out var error);
                if (error is not (SocketError.Success or SocketError.WouldBlock))
                {
                    throw new SocketException((int)error);
                }

                sent += written;
            }

            return true;
        }
        catch (SocketException)
        {
            Connect();
            return false;
        }
    }

    /// <summary>
    /// Reads what has arrived; true once the response is complete, with its status (0 if the connection failed: it is
    /// reopened). False while more is to come.
    /// </summary>
    public bool TryReceive(out int status)
    {
        status = 0;
        try
        {
            while (true)
            {
                var read = _socket!.Receive(_buffer, _received, _buffer.Length - _received, SocketFlags.None, out var error);
                if (error == SocketError.WouldBlock)
                {
                    return false;
                }

                if (error != SocketError.Success || read == 0)
                {
                    throw new SocketException((int)(error == SocketError.Success ? SocketError.ConnectionReset : error));
                }

                _received += read;
                if (TryParse(_buffer.AsSpan(0, _received), out status))
                {
                    _received = 0;
                    return true;
                }

                if (_received == _buffer.Length)
                {
                    throw new InvalidOperationException("A response did not fit the client's buffer.");
                }
            }
        }
        catch (SocketException)
        {
            Connect();
            status = 0;
            return true;
        }
    }

    public void Dispose() => _socket?.Dispose();

    // Whether data holds a whole response: its headers and a Content-Length body, or a chunked one's last chunk.
    private static bool TryParse(ReadOnlySpan<byte> data, out int status)
    {
        status = 0;
        var headerEnd = data.IndexOf(HeaderEnd);
        if (headerEnd < 0)
        {
            return false;
        }

        var header = data[..headerEnd];
        var complete = ContentLength(header) is { } length
            ? data.Length >= headerEnd + HeaderEnd.Length + length
            : data.EndsWith(ChunkedEnd);
        if (complete)
        {
            // "HTTP/1.1 200 ..."
            status = Utf8Parser.TryParse(header.Slice(9, 3), out int code, out _) ? code : 0;
        }

        return complete;
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
