using TokenVerifier.Tenants;

namespace TokenVerifier.Tests.Tenants;

/// <summary>The application's side of pool resolution, as a tenants table would answer it; records every question.</summary>
internal sealed class TenantResolver : IUserPoolResolver
{
    private readonly Dictionary<string, UserPoolOptions> _tenants = new(StringComparer.Ordinal);
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public List<string> Asked { get; } = [];

    /// <summary>When set, the answer to every question instead of the table (to fail, hang or misbehave).</summary>
    public Func<string, CancellationToken, ValueTask<UserPoolOptions?>>? Override { get; set; }

    public void Approve(UserPoolOptions pool)
    {
        lock (_tenants)
        {
            _tenants[pool.UserPoolId!] = pool;
        }
    }

    public void Remove(string poolId)
    {
        lock (_tenants)
        {
            _tenants.Remove(poolId);
        }
    }

    public ValueTask<UserPoolOptions?> ResolveAsync(string userPoolId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        lock (_tenants)
        {
            Asked.Add(userPoolId);
            if (Override is { } answer)
            {
                return answer(userPoolId, cancellationToken);
            }

            return new(_tenants.GetValueOrDefault(userPoolId));
        }
    }
}
