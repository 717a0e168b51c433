using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Diagnostics;
using TokenVerifier.Keys;
using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Validation;

/// <summary>
/// Validators and registries let go of what they share when disposed: key caches and metrics outlive them, and must not
/// keep every validator ever built (one per tenant, per options reload, per test) and its cached tokens alive.
/// </summary>
public sealed class ValidatorLifetimeTests : IDisposable
{
    private const int Validators = 1_000;

    private readonly FakeTimeProvider _time = new(TestPool.Start);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly LocalUserPool _pool;
    private readonly HttpClient _client;
    private readonly UserPoolValidationOptions _options;
    private readonly string[] _tokens;

    public ValidatorLifetimeTests()
    {
        _pool = new LocalUserPool("ap-south-1_Lifetime1", timeProvider: _time);
        _client = new HttpClient(_pool.CreateJwksHandler());
        _options = new UserPoolValidationOptions { UserPoolId = _pool.UserPoolId };
        _options.ClientIds.Add(_pool.DefaultClientId);
        _tokens = [.. Enumerable.Range(0, 5).Select(i => _pool.MintAccessToken(new LocalTokenOptions { Username = $"user{i}" }))];
    }

    private IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

    public void Dispose()
    {
        _client.Dispose();
        _pool.Dispose();
        _services.Dispose();
    }

    [Fact]
    public async Task A_thousand_disposed_validators_and_their_caches_are_collected_while_the_registry_and_metrics_live()
    {
        using var metrics = new TokenVerifierMetrics(Meters, _time);
        using var lookups = new MetricCollector<long>(Meters, TokenVerifierMetrics.MeterName, "tokenverifier.token_cache.lookups");
        using var registry = new SigningKeyCacheRegistry(() => _client, _time, metrics: metrics);
        var keys = registry.GetOrAdd(_pool.JwksUri, _options);
        Assert.True(await keys.RefreshAsync());

        var references = new List<WeakReference>();
        for (var i = 0; i < Validators; i++)
        {
            references.AddRange(UseAndDispose(registry, _options, _tokens));

            // An exporter collecting now and then runs the meter's callbacks while validators come and go.
            if (i % 100 == 0)
            {
                lookups.RecordObservableInstruments();
            }
        }

        CollectEverything();

        Assert.Equal(0, references.Count(r => r.IsAlive));

        // The key cache still works for the validators to come, and notifies nobody of the ones gone.
        _pool.RotateKey(keepPreviousKey: false);
        Assert.True(await keys.RefreshAsync());
        using var next = new UserPoolTokenValidator(_options, registry, _time);
        Assert.True((await next.ValidateAsync(_pool.MintAccessToken())).IsValid);

        // What the disposed validators counted stays in the totals: the counter never goes down.
        lookups.RecordObservableInstruments();
        var totals = lookups.GetMeasurementSnapshot().TakeLast(2).ToDictionary(m => (string)m.Tags["tokenverifier.result"]!, m => m.Value);
        Assert.Equal(Validators * _tokens.Length, totals["hit"]);
        Assert.Equal((Validators * _tokens.Length) + 1, totals["miss"]);
    }

    [Fact]
    public async Task A_disposed_validator_is_no_longer_observed_by_the_metrics_and_refuses_further_use()
    {
        using var metrics = new TokenVerifierMetrics(Meters, _time);
        using var lookups = new MetricCollector<long>(Meters, TokenVerifierMetrics.MeterName, "tokenverifier.token_cache.lookups");
        using var registry = new SigningKeyCacheRegistry(() => _client, _time, metrics: metrics);
        Assert.True(await registry.GetOrAdd(_pool.JwksUri, _options).RefreshAsync());
        using var survivor = new UserPoolTokenValidator(_options, registry, _time);
        Assert.True((await survivor.ValidateAsync(_tokens[0])).IsValid);
        Assert.True((await survivor.ValidateAsync(_tokens[0])).IsValid);

        // Five misses and five hits, then disposed; its validated-token cache is what the meter's callback read.
        var disposed = UseAndDispose(registry, _options, _tokens);
        CollectEverything();

        Assert.All(disposed, r => Assert.False(r.IsAlive));
        lookups.RecordObservableInstruments();
        Assert.Equal((6L, 6L), LastTotals(lookups));

        // Only the survivor is read now: its next hit is the only change.
        Assert.True((await survivor.ValidateAsync(_tokens[0])).IsValid);
        lookups.RecordObservableInstruments();
        Assert.Equal((7L, 6L), LastTotals(lookups));
    }

    [Fact]
    public async Task Validating_with_a_disposed_validator_throws_ObjectDisposedException()
    {
        using var registry = new SigningKeyCacheRegistry(() => _client, _time);
        var validator = new UserPoolTokenValidator(_options, registry, _time);
        Assert.True((await validator.ValidateAsync(_tokens[0])).IsValid);

        validator.Dispose();
        validator.Dispose();

        Assert.Equal(0, validator.CacheStatistics.Count);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await validator.ValidateAsync(_tokens[0]));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await validator.ValidateAsync(_tokens[0].AsMemory()));
    }

    [Fact]
    public async Task A_disposed_registry_no_longer_reports_its_key_sets_to_shared_metrics()
    {
        using var other = new LocalUserPool("ap-south-1_Lifetime2", timeProvider: _time);
        using var otherClient = new HttpClient(other.CreateJwksHandler());
        using var metrics = new TokenVerifierMetrics(Meters, _time);
        using var ages = new MetricCollector<double>(Meters, TokenVerifierMetrics.MeterName, "tokenverifier.jwks.key_set.age");
        var first = new SigningKeyCacheRegistry(() => _client, _time, metrics: metrics);
        using var second = new SigningKeyCacheRegistry(() => otherClient, _time, metrics: metrics);
        Assert.True(await first.GetOrAdd(_pool.JwksUri, _options).RefreshAsync());
        Assert.True(await second.GetOrAdd(other.JwksUri, _options).RefreshAsync());
        ages.RecordObservableInstruments();
        Assert.Equal([_pool.JwksUri.ToString(), other.JwksUri.ToString()], ages.GetMeasurementSnapshot().Select(m => (string)m.Tags["tokenverifier.jwks_uri"]!));

        first.Dispose();
        ages.Clear();
        ages.RecordObservableInstruments();

        Assert.Equal([other.JwksUri.ToString()], ages.GetMeasurementSnapshot().Select(m => (string)m.Tags["tokenverifier.jwks_uri"]!));
        Assert.Throws<ObjectDisposedException>(() => first.GetOrAdd(_pool.JwksUri, _options));

        // Metrics it was given are not its to dispose: their instruments can still be listened to.
        using var duration = new MetricCollector<double>(Meters, TokenVerifierMetrics.MeterName, "tokenverifier.validation.duration");
        Assert.True(metrics.MeasuresDuration);
    }

    [Fact]
    public void A_registry_made_without_metrics_disposes_the_meter_it_created()
    {
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == TokenVerifierMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        var registry = new SigningKeyCacheRegistry(() => _client, _time);
        listener.Start();
        Assert.True(registry.Metrics.MeasuresDuration);

        registry.Dispose();

        // The meter is gone: the listener that enables every TokenVerifier instrument no longer has this one.
        Assert.False(registry.Metrics.MeasuresDuration);
    }

    // Not inlined, so no local of the caller's frame (which the JIT may report live to the end of the test) holds the
    // validator or its cache.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private List<WeakReference> UseAndDispose(SigningKeyCacheRegistry registry, UserPoolValidationOptions options, string[] tokens)
    {
        var validator = new UserPoolTokenValidator(options, registry, _time);
        for (var round = 0; round < 2; round++)
        {
            foreach (var token in tokens)
            {
                // The keys are fetched already, so validation completes synchronously: nothing of it is left on a heap task.
                var pending = validator.ValidateAsync(token).AsTask();
                Assert.True(pending.IsCompletedSuccessfully);
                Assert.True(pending.Result.IsValid, pending.Result.FailureMessage);
            }
        }

        Assert.Equal(tokens.Length, validator.CacheStatistics.Hits);
        List<WeakReference> references = [new(validator), new(validator.TokenCache!)];
        validator.Dispose();
        return references;
    }

    private static void CollectEverything()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static (long Hits, long Misses) LastTotals(MetricCollector<long> lookups)
    {
        var last = lookups.GetMeasurementSnapshot().TakeLast(2).ToDictionary(m => (string)m.Tags["tokenverifier.result"]!, m => m.Value);
        return (last["hit"], last["miss"]);
    }
}
