using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using TokenVerifier.Diagnostics;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Sample;

/// <summary>The meter through the app's own <see cref="IMeterFactory"/>, driven by real requests.</summary>
public sealed class SampleMetricsTests(SampleFactory factory) : IClassFixture<SampleFactory>
{
    [Fact]
    public async Task Requests_are_counted_by_validation_result_and_reason()
    {
        var meters = factory.Services.GetRequiredService<IMeterFactory>();
        using var validations = new MetricCollector<long>(meters, TokenVerifierMetrics.MeterName, "tokenverifier.validations");

        Assert.Equal(HttpStatusCode.OK, (await factory.ClientFor("metrics-user").GetAsync(new Uri("/me", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ClientWith(LocalUserPool.TamperSignature(factory.Pool.MintAccessToken())).GetAsync(new Uri("/me", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ClientWith(factory.Pool.MintIdToken()).GetAsync(new Uri("/me", UriKind.Relative))).StatusCode);

        var reasons = validations.GetMeasurementSnapshot().Select(m => (string)m.Tags["tokenverifier.failure"]!).Order().ToList();
        Assert.Equal(["invalid_signature", "invalid_token_use", "none"], reasons);
    }
}
