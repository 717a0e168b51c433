using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TokenVerifier.Testing;
using TokenVerifier.Tests.Network;
using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Security;

/// <summary>One structured event per rejection reason, with a stable id; and no log line, at any level, carries a token.</summary>
public sealed class RejectionLogTests(CorpusFixture fixture) : IClassFixture<CorpusFixture>
{
    public static TheoryData<TokenFailure, int, LogLevel> Events() => new()
    {
        { TokenFailure.Malformed, 1101, LogLevel.Information },
        { TokenFailure.TooLarge, 1102, LogLevel.Information },
        { TokenFailure.UnsupportedAlgorithm, 1103, LogLevel.Information },
        { TokenFailure.MissingKeyId, 1104, LogLevel.Information },
        { TokenFailure.UnsupportedHeader, 1105, LogLevel.Information },
        { TokenFailure.UnknownIssuer, 1106, LogLevel.Information },
        { TokenFailure.KeyNotFound, 1107, LogLevel.Information },
        { TokenFailure.KeysUnavailable, 1108, LogLevel.Warning },
        { TokenFailure.InvalidSignature, 1109, LogLevel.Information },
        { TokenFailure.MissingClaim, 1110, LogLevel.Information },
        { TokenFailure.InvalidClaim, 1111, LogLevel.Information },
        { TokenFailure.Expired, 1112, LogLevel.Information },
        { TokenFailure.NotYetValid, 1113, LogLevel.Information },
        { TokenFailure.InvalidTokenUse, 1114, LogLevel.Information },
        { TokenFailure.InvalidClient, 1115, LogLevel.Information },
        { TokenFailure.Revoked, 1116, LogLevel.Information },
        { TokenFailure.RevocationUnavailable, 1117, LogLevel.Warning },
        { TokenFailure.InvalidKey, 1118, LogLevel.Information },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public async Task Each_reason_is_logged_as_its_own_event(TokenFailure failure, int eventId, LogLevel level)
    {
        var cases = AdversarialCorpus.Cases.Where(c => c.Expected == failure).ToArray();
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            using var provider = new FakeLoggerProvider();
            using var factory = new LoggerFactory([provider]);
            var (result, _) = await fixture.ValidateAsync(c, factory);

            // Rejection events are the validator's 11xx ids; a revocation outage also logs its own 60xx event beside them.
            var rejection = Assert.Single(provider.Collector.GetSnapshot(), r => r.Category == typeof(UserPoolTokenValidator).FullName && r.Id.Id is >= 1100 and < 1200);
            Assert.Equal(eventId, rejection.Id.Id);
            Assert.Equal(failure.ToString(), rejection.Id.Name);
            Assert.Equal(level, rejection.Level);
            Assert.Equal(result.FailureMessage, rejection.GetStructuredStateValue("Description"));
            Assert.EndsWith(" " + result.FailureMessage, rejection.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_event_table_covers_every_reason()
    {
        var reasons = Events().Select(row => (TokenFailure)row[0]).ToArray();
        Assert.Equal(Enum.GetValues<TokenFailure>().Where(f => f != TokenFailure.None), reasons);
    }

    [Fact]
    public async Task No_log_line_at_any_level_contains_a_token_or_a_segment_of_one()
    {
        using var provider = new FakeLoggerProvider();
        using var factory = new LoggerFactory([provider], new LoggerFilterOptions { MinLevel = LogLevel.Trace });
        var tokens = new List<string>();

        // Every corpus token, including those that reach the key cache (unknown kids, refreshes, rejected keys).
        foreach (var c in AdversarialCorpus.Cases)
        {
            var token = c.Token(fixture);
            tokens.Add(token);
            await fixture.ValidateAsync(c with { Token = _ => token }, factory);
        }

        // The key cache failing, rate limiting and recovering, with valid and forged tokens in flight.
        FaultHandler faults = null!;
        using (var t = new TestPool(network: (inner, time) => faults = new FaultHandler(inner, time) { Fault = JwksFault.ServerError }, loggerFactory: factory))
        {
            var valid = t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromHours(24) });
            var forged = t.Pool.SignWithUnpublishedKey(new LocalTokenOptions { KeyId = "forged-kid" });
            tokens.AddRange([valid, forged]);
            await t.ValidateAsync(valid);
            faults.Fault = JwksFault.None;
            t.Time.Advance(TimeSpan.FromMinutes(1));
            await t.ValidateAsync(valid);
            await t.ValidateAsync(forged);
            await t.ValidateAsync(forged);
        }

        var records = provider.Collector.GetSnapshot();
        Assert.Contains(records, r => r.Level == LogLevel.Debug);
        Assert.Contains(records, r => r.Category == "TokenVerifier.Keys.SigningKeyCache");
        var fragments = tokens.SelectMany(token => token.Split('.').Append(token)).Where(s => s.Length >= 8).Distinct().ToArray();
        foreach (var record in records)
        {
            var texts = new List<string> { record.Message };
            texts.AddRange(record.StructuredState?.Select(kv => kv.Value ?? "") ?? []);
            foreach (var text in texts)
            {
                foreach (var fragment in fragments)
                {
                    Assert.False(text.Contains(fragment, StringComparison.Ordinal), $"Event {record.Id} logged part of a token.");
                }
            }
        }
    }
}
