namespace TokenVerifier.Tests.Network;

/// <summary>A body of <c>length</c> bytes of JSON-ish filler, produced as read and never held in memory.</summary>
internal sealed class GeneratedStream(long length, Action<int> served) : ReadOnlyStream
{
    private long _position;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, length - _position);
        buffer[..n].Fill((byte)' ');
        if (_position == 0 && n > 0)
        {
            buffer[0] = (byte)'[';
        }

        _position += n;
        served(n);
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new(Read(buffer.Span));
    }
}
