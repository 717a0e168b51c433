using System.Net.Sockets;
using TokenVerifier.Revocation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Revocation;

/// <summary>
/// A real in-memory store behind a switch that makes look-ups fail the way a network store fails: a refused connection
/// (thrown at once, or after going asynchronous) or no answer at all.
/// </summary>
internal sealed class FlakyRevocationStore(IRevocationStore inner) : IRevocationStore
{
    private int _lookups;

    public StoreBehaviour Behaviour { get; set; }

    public int Lookups => Volatile.Read(ref _lookups);

    public ValueTask RevokeTokenAsync(string issuer, string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
        inner.RevokeTokenAsync(issuer, tokenId, expiresAt, cancellationToken);

    public ValueTask RevokeSignInAsync(string issuer, string originTokenId, CancellationToken cancellationToken = default) =>
        inner.RevokeSignInAsync(issuer, originTokenId, cancellationToken);

    public ValueTask RevokeUserAsync(string issuer, string subject, DateTimeOffset issuedBefore, CancellationToken cancellationToken = default) =>
        inner.RevokeUserAsync(issuer, subject, issuedBefore, cancellationToken);

    public ValueTask<bool> IsRevokedAsync(UserPoolToken token, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _lookups);
        return Behaviour switch
        {
            StoreBehaviour.RefuseAtOnce => throw new SocketException((int)SocketError.ConnectionRefused),
            StoreBehaviour.RefuseLater => RefuseLaterAsync(),
            StoreBehaviour.Hang => new(new TaskCompletionSource<bool>().Task),
            _ => inner.IsRevokedAsync(token, cancellationToken),
        };
    }

    private static async ValueTask<bool> RefuseLaterAsync()
    {
        await Task.Yield();
        throw new SocketException((int)SocketError.ConnectionRefused);
    }
}
