namespace TokenVerifier.Tests.Network;

/// <summary>Hands out <c>body</c> one byte per <c>interval</c> of the given clock: a response that starts but never seems to end.</summary>
internal sealed class DripStream(byte[] body, TimeSpan interval, TimeProvider time, Action<int> served) : ReadOnlyStream
{
    private int _position;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read asynchronously");

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position == body.Length || buffer.IsEmpty)
        {
            return 0;
        }

        await Task.Delay(interval, time, cancellationToken);
        buffer.Span[0] = body[_position++];
        served(1);
        return 1;
    }
}
