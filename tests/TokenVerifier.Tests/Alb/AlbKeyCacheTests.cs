using System.Net;
using System.Security.Cryptography;
using TokenVerifier.Alb;
using TokenVerifier.Testing;
using TokenVerifier.Tests.Network;

namespace TokenVerifier.Tests.Alb;

/// <summary>The ALB key endpoint's limits: single-flight, no redirects, size and time limits, P-256 only, a budget for unknown kids.</summary>
public sealed class AlbKeyCacheTests
{
    [Fact]
    public async Task Concurrent_requests_for_a_cold_kid_share_one_fetch()
    {
        CountingHandler? counting = null;
        using var bed = new AlbTestBed(wrap: inner => counting = new CountingHandler(inner) { Gate = new TaskCompletionSource() });
        var data = bed.Alb.MintData();

        var pending = Enumerable.Range(0, 8).Select(_ => bed.Validator.ValidateAsync(data, CancellationToken.None).AsTask()).ToArray();
        counting!.Gate!.SetResult();
        var results = await Task.WhenAll(pending);

        Assert.All(results, r => Assert.Equal(AlbFailure.None, r.Failure));
        Assert.Equal(1, counting.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.MovedPermanently)]
    [InlineData(HttpStatusCode.Found)]
    [InlineData(HttpStatusCode.TemporaryRedirect)]
    [InlineData(HttpStatusCode.PermanentRedirect)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.NoContent)]
    public async Task A_redirect_or_server_error_is_a_failed_fetch(HttpStatusCode status)
    {
        using var bed = new AlbTestBed();
        bed.Alb.KeyFailureStatus = status;

        Assert.Equal(AlbFailure.KeysUnavailable, await bed.FailureOf(bed.Alb.MintData()));
        Assert.Equal(1, bed.Alb.KeyRequestCount);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task A_kid_the_endpoint_does_not_know_is_KeyNotFound(HttpStatusCode status)
    {
        using var bed = new AlbTestBed();
        bed.Alb.KeyFailureStatus = status;

        Assert.Equal(AlbFailure.KeyNotFound, await bed.FailureOf(bed.Alb.MintData()));
    }

    [Fact]
    public async Task A_key_fetched_after_an_outage_is_used()
    {
        using var bed = new AlbTestBed();
        bed.Alb.KeyFailureStatus = HttpStatusCode.BadGateway;
        Assert.Equal(AlbFailure.KeysUnavailable, await bed.FailureOf(bed.Alb.MintData()));

        bed.Alb.KeyFailureStatus = null;

        Assert.Equal(AlbFailure.None, await bed.FailureOf(bed.Alb.MintData()));
    }

    [Fact]
    public async Task A_response_larger_than_the_limit_is_a_failed_fetch()
    {
        using var bed = new AlbTestBed(maxResponseBytes: 1024);
        bed.Alb.PublishPem(bed.Alb.KeyId, bed.Alb.GetPublicKeyPem() + new string('\n', 1024));

        Assert.Equal(AlbFailure.KeysUnavailable, await bed.FailureOf(bed.Alb.MintData()));
    }

    [Fact]
    public async Task A_fetch_without_an_answer_in_time_is_a_failed_fetch()
    {
        var holding = new HoldingHandler();
        using var bed = new AlbTestBed(wrap: _ => holding);

        var pending = bed.Validator.ValidateAsync(bed.Alb.MintData(), CancellationToken.None).AsTask();
        await holding.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        bed.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(AlbFailure.KeysUnavailable, (await pending.WaitAsync(TimeSpan.FromSeconds(10))).Failure);
    }

    [Fact]
    public async Task An_RSA_key_is_refused()
    {
        using var bed = new AlbTestBed();
        using var rsa = RSA.Create(2048);
        bed.Alb.PublishPem(bed.Alb.KeyId, rsa.ExportSubjectPublicKeyInfoPem());

        Assert.Equal(AlbFailure.UnsupportedKey, await bed.FailureOf(bed.Alb.MintData()));
    }

    [Fact]
    public async Task A_key_on_another_curve_is_refused()
    {
        using var bed = new AlbTestBed();
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        bed.Alb.PublishPem(bed.Alb.KeyId, p384.ExportSubjectPublicKeyInfoPem());

        Assert.Equal(AlbFailure.UnsupportedKey, await bed.FailureOf(bed.Alb.MintData()));
    }

    [Theory]
    [InlineData("not a key")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")]
    [InlineData("")]
    public async Task A_response_that_is_not_a_PEM_public_key_is_refused(string body)
    {
        using var bed = new AlbTestBed();
        bed.Alb.PublishPem(bed.Alb.KeyId, body);

        Assert.Equal(AlbFailure.UnsupportedKey, await bed.FailureOf(bed.Alb.MintData()));
    }

    [Fact]
    public async Task A_key_that_does_not_match_the_signature_fails_the_signature()
    {
        using var bed = new AlbTestBed();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        bed.Alb.PublishPem(bed.Alb.KeyId, other.ExportSubjectPublicKeyInfoPem());

        Assert.Equal(AlbFailure.InvalidSignature, await bed.FailureOf(bed.Alb.MintData()));
    }

    [Fact]
    public async Task Unknown_kids_are_fetched_only_within_the_budget_per_interval()
    {
        using var bed = new AlbTestBed(unknownKidFetchesPerInterval: 3);
        string Forged(int i) => bed.Alb.MintData(new LocalAlbTokenOptions { KeyId = $"00000000-0000-0000-0000-00000000000{i}" });

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(AlbFailure.KeyNotFound, await bed.FailureOf(Forged(i)));
        }

        Assert.Equal(3, bed.Alb.KeyRequestCount);

        // The budget is spent: even the real kid waits for the interval, as the JWKS path's unknown-kid refresh does.
        Assert.Equal(AlbFailure.KeyNotFound, await bed.FailureOf(bed.Alb.MintData()));
        bed.Time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(AlbFailure.None, await bed.FailureOf(bed.Alb.MintData()));
        Assert.Equal(4, bed.Alb.KeyRequestCount);
    }

    [Fact]
    public async Task A_kid_found_missing_is_asked_again_only_after_the_interval()
    {
        using var bed = new AlbTestBed();
        var data = bed.Alb.MintData(new LocalAlbTokenOptions { KeyId = "11111111-2222-3333-4444-555555555555" });
        await bed.FailureOf(data);
        bed.Time.Advance(TimeSpan.FromSeconds(29));
        await bed.FailureOf(data);
        Assert.Equal(1, bed.Alb.KeyRequestCount);

        bed.Time.Advance(TimeSpan.FromSeconds(1));
        await bed.FailureOf(data);

        Assert.Equal(2, bed.Alb.KeyRequestCount);
    }

    private sealed class HoldingHandler : HttpMessageHandler
    {
        public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Arrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
