using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.Keys;
using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Tests.Reload;

/// <summary>
/// The lease count a scheme's configuration keeps per thread stripe: a retired configuration's validator is disposed
/// exactly when its last lease ends, never while one is under way, and no lease is taken after the retirement.
/// </summary>
public sealed class SchemeConfigurationTests : IDisposable
{
    private readonly LocalUserPool _pool = new();
    private readonly HttpClient _client;
    private readonly SigningKeyCacheRegistry _registry;

    public SchemeConfigurationTests()
    {
        _client = new HttpClient(_pool.CreateJwksHandler());
        _registry = new SigningKeyCacheRegistry(() => _client);
    }

    public void Dispose()
    {
        _registry.Dispose();
        _client.Dispose();
        _pool.Dispose();
    }

    [Fact]
    public async Task A_lease_ended_on_another_thread_still_keeps_the_validator_until_it_ends()
    {
        var configuration = Configuration();
        Assert.True(configuration.TryLease());

        // Retired while the lease is held: the validator serves on.
        configuration.Retire();
        Assert.False(configuration.TryLease());
        Assert.Equal(TokenFailure.Malformed, (await configuration.Validator.ValidateAsync("not-a-token")).Failure);

        // Ended on a thread of its own, so on another stripe than it was taken on.
        await Task.Factory.StartNew(configuration.EndLease, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await configuration.Validator.ValidateAsync("not-a-token"));
    }

    [Fact]
    public async Task A_configuration_retired_with_no_lease_under_way_disposes_its_validator_at_once()
    {
        var configuration = Configuration();
        Assert.True(configuration.TryLease());
        configuration.EndLease();
        Assert.Equal(TokenFailure.Malformed, (await configuration.Validator.ValidateAsync("x")).Failure);

        configuration.Retire();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await configuration.Validator.ValidateAsync("x"));
        Assert.False(configuration.TryLease());
    }

    [Fact]
    public async Task Under_concurrent_leases_the_validator_is_never_disposed_under_one_and_is_disposed_after_the_last()
    {
        for (var round = 0; round < 20; round++)
        {
            var configuration = Configuration();
            var leased = 0;
            var refused = 0;
            var disposedUnderLease = 0;
            using var start = new Barrier(5);
            var workers = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    while (configuration.TryLease())
                    {
                        Interlocked.Increment(ref leased);
                        try
                        {
                            configuration.Validator.ValidateAsync("x").AsTask().GetAwaiter().GetResult();
                        }
                        catch (ObjectDisposedException)
                        {
                            Interlocked.Increment(ref disposedUnderLease);
                        }

                        configuration.EndLease();
                    }

                    Interlocked.Increment(ref refused);
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default)).ToArray();
            start.SignalAndWait();
            while (Volatile.Read(ref leased) < 2_000)
            {
                await Task.Yield();
            }

            configuration.Retire();
            await Task.WhenAll(workers);

            Assert.Equal(0, disposedUnderLease);
            Assert.Equal(4, refused);
            await Assert.ThrowsAsync<ObjectDisposedException>(async () => await configuration.Validator.ValidateAsync("x"));
        }
    }

    private SchemeConfiguration Configuration()
    {
        var options = new UserPoolAuthenticationOptions();
        options.Validation.UserPoolId = _pool.UserPoolId;
        options.Validation.ClientIds.Add(_pool.DefaultClientId);
        return new SchemeConfiguration(options, new UserPoolTokenValidator(options.Validation, _registry));
    }
}
