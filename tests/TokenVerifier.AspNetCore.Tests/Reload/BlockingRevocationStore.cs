using TokenVerifier.Revocation;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Tests.Reload;

/// <summary>A revocation store that, once armed, holds the next lookup until released: a validation caught mid-way.</summary>
internal sealed class BlockingRevocationStore : IRevocationStore
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _armed;

    public Task Entered => _entered.Task;

    public void Block() => Volatile.Write(ref _armed, 1);

    public void Release() => _release.TrySetResult();

    public async ValueTask<bool> IsRevokedAsync(UserPoolToken token, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _armed, 0) == 1)
        {
            _entered.TrySetResult();
            await _release.Task.WaitAsync(cancellationToken);
        }

        return false;
    }

    public ValueTask RevokeTokenAsync(string issuer, string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask RevokeSignInAsync(string issuer, string originTokenId, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask RevokeUserAsync(string issuer, string subject, DateTimeOffset issuedBefore, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
