using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using TokenVerifier.Diagnostics;
using TokenVerifier.Keys;
using TokenVerifier.Revocation;
using TokenVerifier.Testing;
using TokenVerifier.Tests.Revocation;
using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Diagnostics;

/// <summary>The TokenVerifier meter and activity source, observed the way an exporter would observe them.</summary>
public sealed class TelemetryTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly TestPool _t = new(poolId: "eu-north-1_Telemetry1");

    public void Dispose()
    {
        _t.Dispose();
        _services.Dispose();
    }

    private IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

    private UserPoolTokenValidator Validator(TokenVerifierMetrics metrics, IRevocationStore? store = null, int cacheSize = 0)
    {
        var client = new HttpClient(_t.Network);
        var registry = new SigningKeyCacheRegistry(() => client, _t.Time, metrics: metrics);
        _t.Options.ValidatedTokenCacheSize = cacheSize;
        return new UserPoolTokenValidator(_t.Options, registry, _t.Time, revocationStore: store);
    }

    [Fact]
    public async Task Validations_are_counted_by_result_reason_and_token_use_and_timed()
    {
        using var metrics = new TokenVerifierMetrics(Meters, _t.Time);
        using var validations = new MetricCollector<long>(Meters, TokenVerifierMetrics.MeterName, "tokenverifier.validations");
        using var duration = new MetricCollector<double>(Meters, TokenVerifierMetrics.MeterName, "tokenverifier.validation.duration");
        var validator = Validator(metrics);

        await validator.ValidateAsync(_t.Pool.MintAccessToken());
        await validator.ValidateAsync(_t.Pool.MintAccessToken());
        await validator.ValidateAsync(_t.Pool.MintIdToken());
        await validator.ValidateAsync("garbage");
        await validator.ValidateAsync(_t.Pool.MintAccessToken(new LocalTokenOptions { AdditionalClaims = { ["token_use"] = "refresh-or-anything" } }));

        var all = validations.GetMeasurementSnapshot();
        Assert.Equal(5, all.Count);
        Assert.Equal(2, all.Count(m => m.Tags["tokenverifier.result"] as string == "success" && m.Tags["tokenverifier.token_use"] as string == "access" && m.Tags["tokenverifier.failure"] as string == "none"));
        // A refused token use is tagged when it is one of the two known ones, and as "other" otherwise (bounded tags).
        Assert.Single(all, m => m.Tags["tokenverifier.failure"] as string == "invalid_token_use" && m.Tags["tokenverifier.token_use"] as string == "id");
        Assert.Single(all, m => m.Tags["tokenverifier.failure"] as string == "invalid_token_use" && m.Tags["tokenverifier.token_use"] as string == "other");
        Assert.Single(all, m => m.Tags["tokenverifier.failure"] as string == "malformed" && m.Tags["tokenverifier.token_use"] as string == "unknown");

        var times = duration.GetMeasurementSnapshot();
        Assert.Equal(5, times.Count);
        Assert.All(times, m => Assert.InRange(m.Value, 0, 30));
    }

    [Fact]
    public async Task Jwks_fetches_are_counted_by_outcome_and_the_key_set_age_is_observed()
    {
        using var metrics = new TokenVerifierMetrics(Meters, _t.Time);
        using var fetches = new MetricCollector<long>(Meters, TokenVerifierMetrics.MeterName, "tokenverifier.jwks.fetches");
        using var age = new MetricCollector<double>(Meters, TokenVerifierMetrics.MeterName, "tokenverifier.jwks.key_set.age");
        var validator = Validator(metrics);

        Assert.True((await validator.ValidateAsync(_t.Pool.MintAccessToken())).IsValid);
        _t.Network.FailWith = System.Net.HttpStatusCode.InternalServerError;
        Assert.False(await validator.KeyCaches[0].RefreshAsync());

        var outcomes = fetches.GetMeasurementSnapshot().Select(m => m.Tags["tokenverifier.outcome"]).ToList();
        Assert.Equal(["success", "failure"], outcomes);
        Assert.All(fetches.GetMeasurementSnapshot(), m => Assert.Equal(_t.Pool.JwksUri.ToString(), m.Tags["tokenverifier.jwks_uri"]));

        _t.Time.Advance(TimeSpan.FromMinutes(10));
        age.RecordObservableInstruments();
        var observed = Assert.Single(age.GetMeasurementSnapshot());
        Assert.Equal(600, observed.Value, precision: 3);
    }

    [Fact]
    public async Task Cache_hits_and_misses_and_revocation_lookups_are_counted()
    {
        using var metrics = new TokenVerifierMetrics(Meters, _t.Time);
        using var cache = new MetricCollector<long>(Meters, TokenVerifierMetrics.MeterName, "tokenverifier.token_cache.lookups");
        using var revocation = new MetricCollector<long>(Meters, TokenVerifierMetrics.MeterName, "tokenverifier.revocation.lookups");
        var store = new InMemoryRevocationStore(timeProvider: _t.Time);
        var validator = Validator(metrics, store, cacheSize: 100);
        var token = _t.Pool.MintAccessToken(new LocalTokenOptions { Jti = "telemetry-jti" });

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await validator.ValidateAsync(token)).IsValid);
        }

        await store.RevokeTokenAsync(_t.Pool.Issuer, "telemetry-jti", _t.Time.GetUtcNow().AddHours(1));
        Assert.Equal(TokenFailure.Revoked, (await validator.ValidateAsync(token)).Failure);

        cache.RecordObservableInstruments();
        var last = cache.GetMeasurementSnapshot().TakeLast(2).ToDictionary(m => (string)m.Tags["tokenverifier.result"]!, m => m.Value);
        Assert.Equal(3, last["hit"]);
        Assert.Equal(1, last["miss"]);
        Assert.Equal(["not_revoked", "not_revoked", "not_revoked", "revoked"], revocation.GetMeasurementSnapshot().Select(m => m.Tags["tokenverifier.outcome"]));
    }

    [Fact]
    public async Task Only_validations_that_leave_the_process_get_a_span()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is TokenVerifierActivitySource.Name or nameof(TelemetryTests),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                // The source is process-wide: keep only this test's pool.
                if ((activity.GetTagItem("url.full") as string)?.Contains("Telemetry1", StringComparison.Ordinal) == true
                    || activity.Parent?.Source.Name == nameof(TelemetryTests))
                {
                    lock (spans)
                    {
                        spans.Add(activity);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var metrics = new TokenVerifierMetrics(Meters, _t.Time);
        var flaky = new FlakyRevocationStore(new InMemoryRevocationStore(timeProvider: _t.Time)) { Behaviour = StoreBehaviour.Up };
        var validator = Validator(metrics, flaky);

        Assert.True((await validator.ValidateAsync(_t.Pool.MintAccessToken())).IsValid);
        Assert.True((await validator.ValidateAsync(_t.Pool.MintAccessToken())).IsValid);
        List<Activity> fetched;
        lock (spans)
        {
            fetched = [.. spans.Where(s => s.OperationName == TokenVerifierActivitySource.FetchKeys)];
        }

        var fetch = Assert.Single(fetched);
        Assert.Equal(ActivityKind.Client, fetch.Kind);
        Assert.Equal(1, fetch.GetTagItem("tokenverifier.key_count"));

        _t.Network.FailWith = System.Net.HttpStatusCode.BadGateway;
        Assert.False(await validator.KeyCaches[0].RefreshAsync());
        lock (spans)
        {
            Assert.Equal(ActivityStatusCode.Error, spans.Last(s => s.OperationName == TokenVerifierActivitySource.FetchKeys).Status);
            Assert.DoesNotContain(spans, s => s.OperationName == TokenVerifierActivitySource.CheckRevocation);
        }

        // A store that has to be waited for gets a span; one that answers from memory (above) did not.
        using var source = new ActivitySource(nameof(TelemetryTests));
        using (source.StartActivity("request"))
        {
            flaky.Behaviour = StoreBehaviour.RefuseLater;
            Assert.Equal(TokenFailure.RevocationUnavailable, (await validator.ValidateAsync(_t.Pool.MintAccessToken())).Failure);
        }

        lock (spans)
        {
            var check = Assert.Single(spans, s => s.OperationName == TokenVerifierActivitySource.CheckRevocation);
            Assert.Equal(ActivityStatusCode.Error, check.Status);
        }
    }
}
