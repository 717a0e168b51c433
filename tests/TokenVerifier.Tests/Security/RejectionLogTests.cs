using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TokenVerifier.Testing;
using TokenVerifier.Tests.Network;
using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Security;

/// <summary>
/// One structured event per rejection reason, with a stable id, at Debug level (the per-minute Warnings are
/// <c>RejectionSummaryTests</c>'); and no log line, at any level and with or without the rejected values, carries a token.
/// </summary>
public sealed class RejectionLogTests(CorpusFixture fixture) : IClassFixture<CorpusFixture>
{
    public static TheoryData<TokenFailure, int, LogLevel> Events() => new()
    {
        { TokenFailure.Malformed, 1101, LogLevel.Debug },
        { TokenFailure.TooLarge, 1102, LogLevel.Debug },
        { TokenFailure.UnsupportedAlgorithm, 1103, LogLevel.Debug },
        { TokenFailure.MissingKeyId, 1104, LogLevel.Debug },
        { TokenFailure.UnsupportedHeader, 1105, LogLevel.Debug },
        { TokenFailure.UnknownIssuer, 1106, LogLevel.Debug },
        { TokenFailure.KeyNotFound, 1107, LogLevel.Debug },
        { TokenFailure.KeysUnavailable, 1108, LogLevel.Debug },
        { TokenFailure.InvalidSignature, 1109, LogLevel.Debug },
        { TokenFailure.MissingClaim, 1110, LogLevel.Debug },
        { TokenFailure.InvalidClaim, 1111, LogLevel.Debug },
        { TokenFailure.Expired, 1112, LogLevel.Debug },
        { TokenFailure.NotYetValid, 1113, LogLevel.Debug },
        { TokenFailure.InvalidTokenUse, 1114, LogLevel.Debug },
        { TokenFailure.InvalidClient, 1115, LogLevel.Debug },
        { TokenFailure.Revoked, 1116, LogLevel.Debug },
        { TokenFailure.RevocationUnavailable, 1117, LogLevel.Debug },
        { TokenFailure.InvalidKey, 1118, LogLevel.Debug },
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task No_log_line_at_any_level_contains_a_token_or_a_segment_of_one(bool logRejectedClaimValues)
    {
        using var provider = new FakeLoggerProvider();
        using var factory = new LoggerFactory([provider], new LoggerFilterOptions { MinLevel = LogLevel.Trace });
        var tokens = new List<string>();
        Action<UserPoolValidationOptions> configure = o => o.LogRejectedClaimValues = logRejectedClaimValues;

        // Every corpus token, including those that reach the key cache (unknown kids, refreshes, rejected keys).
        foreach (var c in AdversarialCorpus.Cases)
        {
            var token = c.Token(fixture);
            tokens.Add(token);
            await fixture.ValidateAsync(c with { Token = _ => token, Configure = c.Configure + configure }, factory);
        }

        // Forged tokens whose rejected values repeat a segment of the token itself: named, they would log it.
        var header = fixture.Header();
        var headerSegment = LocalUserPool.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(header));
        const string Signature = "c2lnbmF0dXJlLXJlcGVhdGVkLWluLWlzcw";
        // The issuer is named before the signature is checked, so a forged token names it; client and token use only
        // in signed tokens, where the header is the only segment known before signing.
        foreach (var value in new[] { "https://evil.example/" + headerSegment, Signature })
        {
            var token = RawTokens.Unsigned(header, fixture.Payload(("iss", $"\"{value}\"")), Signature);
            tokens.Add(token);
            await fixture.ValidateAsync(new CorpusCase("issuer repeats a segment", TokenFailure.UnknownIssuer, _ => token, configure), factory);
        }

        foreach (var claim in new[] { "client_id", "token_use" })
        {
            var token = fixture.Signed(header, fixture.Payload((claim, $"\"{headerSegment}\"")));
            tokens.Add(token);
            await fixture.ValidateAsync(new CorpusCase(claim + " repeats the header", TokenFailure.None, _ => token, configure), factory);
        }

        // The key cache failing, rate limiting and recovering, with valid and forged tokens in flight.
        FaultHandler faults = null!;
        using (var t = new TestPool(configure, network: (inner, time) => faults = new FaultHandler(inner, time) { Fault = JwksFault.ServerError }, loggerFactory: factory))
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
        Assert.Equal(logRejectedClaimValues, records.Any(r => r.Message.Contains("Issuer: ", StringComparison.Ordinal)));
        Assert.Equal(logRejectedClaimValues, records.Any(r => r.Message.Contains("(withheld: contains part of the token)", StringComparison.Ordinal)));
        var fragments = tokens.SelectMany(token => token.Split('.').Append(token)).Where(s => s.Length >= 8).Distinct().ToArray();
        foreach (var record in records)
        {
            var texts = new List<string> { record.Message };
            texts.AddRange(record.StructuredState?.Select(kv => kv.Value ?? "") ?? []);
            foreach (var text in texts)
            {
                foreach (var fragment in fragments)
                {
                    Assert.False(text.Contains(fragment, StringComparison.Ordinal), $"Event {record.Id} logged part of a token: {fragment} in {text}");
                }
            }
        }
    }

    [Fact]
    public async Task Rejected_values_are_named_only_when_asked_cut_at_128_characters_and_escaped()
    {
        var forgedIssuer = "https://evil.example/\n[Error] forged line \u202E" + new string('x', 300);
        var tokens = new (TokenFailure Failure, string Token, string Expected)[]
        {
            (TokenFailure.UnknownIssuer, fixture.WithClaims(("iss", System.Text.Json.JsonSerializer.Serialize(forgedIssuer))),
                "Issuer: 'https://evil.example/\\u000A[Error] forged line \\u202E" + new string('x', 128 - 43) + "'... (343 characters)."),
            (TokenFailure.InvalidClient, fixture.WithClaims(("client_id", "\"other\\r\\nclient\"")),
                "Client: 'other\\u000D\\u000Aclient', token_use: 'access'."),
            (TokenFailure.InvalidTokenUse, fixture.IdTokenWithAud($"\"{fixture.Pool.DefaultClientId}\""),
                $"token_use: 'id', client: '{fixture.Pool.DefaultClientId}'."),
        };

        foreach (var on in new[] { false, true })
        {
            foreach (var (failure, token, expected) in tokens)
            {
                using var provider = new FakeLoggerProvider();
                using var factory = new LoggerFactory([provider], new LoggerFilterOptions { MinLevel = LogLevel.Trace });
                var (result, _) = await fixture.ValidateAsync(new CorpusCase(failure.ToString(), failure, _ => token, o => o.LogRejectedClaimValues = on), factory);
                Assert.Equal(failure, result.Failure);
                var rejection = Assert.Single(provider.Collector.GetSnapshot(), r => r.Id.Id == 1100 + (int)failure);
                Assert.Equal(failure.ToString(), rejection.Id.Name);
                Assert.Equal(LogLevel.Debug, rejection.Level);
                Assert.Equal(result.FailureMessage, rejection.GetStructuredStateValue("Description"));
                if (on)
                {
                    Assert.EndsWith(expected, rejection.Message, StringComparison.Ordinal);
                    Assert.DoesNotContain('\n', rejection.Message);
                    Assert.DoesNotContain('\r', rejection.Message);
                    Assert.DoesNotContain('\u202E', rejection.Message);
                }
                else
                {
                    Assert.EndsWith(" " + result.FailureMessage, rejection.Message, StringComparison.Ordinal);
                }
            }
        }
    }
}
