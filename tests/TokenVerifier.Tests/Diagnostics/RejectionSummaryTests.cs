using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TokenVerifier.Keys;
using TokenVerifier.Revocation;
using TokenVerifier.Testing;
using TokenVerifier.Tests.Network;
using TokenVerifier.Tests.Revocation;
using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Diagnostics;

/// <summary>Per-token rejections are Debug lines; what reaches Warning is one line per reason per minute, with the count.</summary>
public sealed class RejectionSummaryTests : IDisposable
{
    private readonly FakeLoggerProvider _logs = new();
    private readonly LoggerFactory _factory;

    public RejectionSummaryTests() => _factory = new LoggerFactory([_logs], new LoggerFilterOptions { MinLevel = LogLevel.Trace });

    public void Dispose()
    {
        _factory.Dispose();
        _logs.Dispose();
    }

    private IReadOnlyList<FakeLogRecord> Warnings() =>
        [.. _logs.Collector.GetSnapshot().Where(r => r.Level >= LogLevel.Warning && r.Category == typeof(UserPoolTokenValidator).FullName)];

    private IReadOnlyList<FakeLogRecord> Summaries(TokenFailure failure) =>
        [.. Warnings().Where(r => r.Id.Id == 1003 && r.GetStructuredStateValue("Failure") == failure.ToString())];

    [Fact]
    public async Task Rejections_are_one_Warning_per_reason_per_minute_with_their_count()
    {
        using var t = new TestPool(loggerFactory: _factory);
        var expired = t.Pool.MintExpiredAccessToken(TimeSpan.FromSeconds(5));
        var foreign = new LocalUserPool("us-east-1_Foreign1").MintAccessToken();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(TokenFailure.Expired, await t.FailureOfAsync(expired));
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(TokenFailure.UnknownIssuer, await t.FailureOfAsync(foreign));
        }

        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(t.Pool.MintAccessToken()));

        // Each rejection has its Debug line; nothing at Warning until the minute is over.
        Assert.Equal(8, _logs.Collector.GetSnapshot().Count(r => r.Id.Id is 1112 or 1106 && r.Level == LogLevel.Debug));
        Assert.Empty(Warnings());
        t.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Empty(Warnings());

        t.Time.Advance(TimeSpan.FromSeconds(1));
        var expiredLine = Assert.Single(Summaries(TokenFailure.Expired));
        Assert.Equal("5", expiredLine.GetStructuredStateValue("Count"));
        Assert.Equal("60", expiredLine.GetStructuredStateValue("Seconds"));
        Assert.Equal("UserPool", expiredLine.GetStructuredStateValue("AuthenticationType"));
        Assert.Equal("3", Assert.Single(Summaries(TokenFailure.UnknownIssuer)).GetStructuredStateValue("Count"));
        Assert.Equal(2, Warnings().Count);

        // A quiet minute writes nothing; the next rejection opens a new window with a fresh count.
        t.Time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(2, Warnings().Count);
        Assert.Equal(TokenFailure.Expired, await t.FailureOfAsync(expired));
        t.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["5", "1"], Summaries(TokenFailure.Expired).Select(r => r.GetStructuredStateValue("Count")));
    }

    [Fact]
    public async Task A_flood_of_rejections_is_still_one_line_per_reason()
    {
        using var t = new TestPool(loggerFactory: _factory);
        var forged = LocalUserPool.TamperSignature(t.Pool.MintAccessToken());
        for (var i = 0; i < 2_000; i++)
        {
            await t.ValidateAsync(forged);
        }

        t.Time.Advance(RejectionSummary.Window);
        Assert.Equal("2000", Assert.Single(Warnings()).GetStructuredStateValue("Count"));
    }

    [Fact]
    public async Task Unavailable_keys_are_debug_lines_and_one_summary()
    {
        using var t = new TestPool(network: (inner, time) => new FaultHandler(inner, time) { Fault = JwksFault.ServerError }, loggerFactory: _factory);
        var token = t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromHours(2) });
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(TokenFailure.KeysUnavailable, await t.FailureOfAsync(token));
        }

        Assert.All(_logs.Collector.GetSnapshot().Where(r => r.Id.Id == 1108), r => Assert.Equal(LogLevel.Debug, r.Level));
        t.Time.Advance(RejectionSummary.Window);
        Assert.Equal("10", Assert.Single(Summaries(TokenFailure.KeysUnavailable)).GetStructuredStateValue("Count"));
    }

    [Theory]
    [InlineData(RevocationFailureMode.FailClosed)]
    [InlineData(RevocationFailureMode.FailOpen)]
    public async Task A_revocation_outage_is_summarised_whether_tokens_are_refused_or_accepted_unchecked(RevocationFailureMode mode)
    {
        using var t = new TestPool();
        var store = new FlakyRevocationStore(new InMemoryRevocationStore(timeProvider: t.Time)) { Behaviour = StoreBehaviour.RefuseAtOnce };
        var options = new UserPoolValidationOptions { UserPoolId = t.Pool.UserPoolId, ClientIds = [t.Pool.DefaultClientId] };
        options.Revocation.FailureMode = mode;
        var validator = new UserPoolTokenValidator(options, t.Registry, t.Time, _factory.CreateLogger<UserPoolTokenValidator>(), store);
        var token = t.Pool.MintAccessToken();
        for (var i = 0; i < 7; i++)
        {
            var result = await validator.ValidateAsync(token);
            Assert.Equal(mode == RevocationFailureMode.FailOpen, result.IsValid);
        }

        Assert.All(_logs.Collector.GetSnapshot().Where(r => r.Id.Id == 1117), r => Assert.Equal(LogLevel.Debug, r.Level));
        t.Time.Advance(RejectionSummary.Window);
        var line = mode == RevocationFailureMode.FailClosed
            ? Assert.Single(Summaries(TokenFailure.RevocationUnavailable))
            : Assert.Single(Warnings(), r => r.Id.Id == 1004);
        Assert.Equal("7", line.GetStructuredStateValue("Count"));
    }
}
