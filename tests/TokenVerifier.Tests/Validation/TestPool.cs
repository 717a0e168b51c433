using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Keys;
using TokenVerifier.Testing;
using TokenVerifier.Tests.Network;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Validation;

/// <summary>A real signing pool, a validator that trusts it, a fake clock both share, and a counter on the JWKS traffic.</summary>
internal sealed class TestPool : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    /// <param name="configure">Changes to the default options.</param>
    /// <param name="poolId">The pool id.</param>
    /// <param name="network">Wraps the pool's JWKS handler (inside the counter), for faults; gets the shared clock.</param>
    /// <param name="loggerFactory">Where the validator and the key cache log.</param>
    public TestPool(Action<UserPoolValidationOptions>? configure = null, string poolId = "us-east-1_TestPool1", Func<HttpMessageHandler, TimeProvider, HttpMessageHandler>? network = null, ILoggerFactory? loggerFactory = null)
    {
        Time = new FakeTimeProvider(Start);
        Pool = new LocalUserPool(poolId, timeProvider: Time);
        Network = new CountingHandler(network is null ? Pool.CreateJwksHandler() : network(Pool.CreateJwksHandler(), Time));
        var client = new HttpClient(Network);
        Registry = new SigningKeyCacheRegistry(() => client, Time, loggerFactory);
        Options = new UserPoolValidationOptions { UserPoolId = Pool.UserPoolId };
        Options.ClientIds.Add(Pool.DefaultClientId);
        configure?.Invoke(Options);
        Validator = new UserPoolTokenValidator(Options, Registry, Time, loggerFactory?.CreateLogger<UserPoolTokenValidator>());
    }

    public FakeTimeProvider Time { get; }

    public LocalUserPool Pool { get; }

    public CountingHandler Network { get; }

    public SigningKeyCacheRegistry Registry { get; }

    public UserPoolValidationOptions Options { get; }

    public UserPoolTokenValidator Validator { get; }

    public SigningKeyCache Keys => Validator.KeyCaches[0];

    public async Task<UserPoolValidationResult> ValidateAsync(string token) => await Validator.ValidateAsync(token);

    public async Task<TokenFailure> FailureOfAsync(string token) => (await Validator.ValidateAsync(token)).Failure;

    /// <summary>Waits (ten seconds at most) for a background refresh to leave the key set fresh.</summary>
    public Task WaitForFreshKeysAsync() => UntilFetchedAsync(status => status.State == KeySetState.Fresh);

    /// <summary>
    /// Waits (ten seconds at most) until the key cache's status meets <paramref name="condition"/> and no fetch is under
    /// way: a fetch shows its set or its error before it ends, and a request in between would join it instead of fetching.
    /// </summary>
    public async Task UntilFetchedAsync(Func<SigningKeyCacheStatus, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(condition(Keys.GetStatus()) && !Keys.IsFetching) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(2);
        }

        Assert.True(condition(Keys.GetStatus()) && !Keys.IsFetching, "The key cache did not reach the state awaited with its fetch ended.");
    }

    public void Dispose()
    {
        Network.Dispose();
        Pool.Dispose();
    }
}
