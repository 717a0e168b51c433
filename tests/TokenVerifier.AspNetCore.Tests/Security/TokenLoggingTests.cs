using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TokenVerifier.Keys;
using TokenVerifier.Revocation;
using TokenVerifier.AspNetCore.Tests.Sample;
using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Tests.Security;

/// <summary>
/// Through the whole sample, every category at Trace, with and without <c>LogRejectedClaimValues</c>: each rejection is
/// its own event, and no line carries a token.
/// </summary>
public sealed class TokenLoggingTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task No_log_line_of_the_application_contains_a_token_and_each_rejection_has_its_event(bool logRejectedClaimValues)
    {
        using var provider = new FakeLoggerProvider();
        // The sample's key set also carries a refused (1024-bit) key, so the InvalidKey token gets its own event.
        await using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("UserPool:LogRejectedClaimValues", logRejectedClaimValues ? "true" : "false")
            .ConfigureLogging(logging => logging
                .AddProvider(provider)
                .AddFilter<FakeLoggerProvider>(null, LogLevel.Trace))
            .ConfigureTestServices(services => services
                .FetchEmbeddedPoolKeysThrough(sp => new WeakKeyHandler(sp.GetRequiredService<LocalUserPool>().CreateJwksHandler()))));
        var pool = app.Services.GetRequiredService<LocalUserPool>();
        await app.Services.GetRequiredService<IRevocationStore>().RevokeTokenAsync(ChallengeTokens.RevokedTokenId, DateTimeOffset.UtcNow.AddHours(1));

        var tokens = new List<string> { pool.MintAccessToken() };
        tokens.AddRange(ChallengeTokens.Expected.Where(e => e.Failure != TokenFailure.KeysUnavailable).Select(e => ChallengeTokens.For(e.Failure, pool)));
        using var client = app.CreateClient();
        foreach (var token in tokens)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/me", UriKind.Relative));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await client.SendAsync(request)).Dispose();
        }

        var records = provider.Collector.GetSnapshot();
        Assert.Contains(records, r => r.Level == LogLevel.Trace || r.Level == LogLevel.Debug);
        Assert.Contains(records, r => r.Id.Id == 1002 && r.Category == typeof(UserPoolTokenValidator).FullName);
        foreach (var (failure, _) in ChallengeTokens.Expected.Where(e => e.Failure != TokenFailure.KeysUnavailable))
        {
            Assert.Contains(records, r => r.Id.Name == failure.ToString() && r.Id.Id == 1100 + (int)failure);
        }

        Assert.Equal(logRejectedClaimValues, records.Any(r => r.Id.Id == 1106 && r.Message.Contains("Issuer: '", StringComparison.Ordinal)));
        Assert.Equal(logRejectedClaimValues, records.Any(r => r.Id.Id == 1115 && r.Message.Contains("Client: '", StringComparison.Ordinal)));
        var fragments = tokens.SelectMany(t => t.Split('.').Append(t)).Where(s => s.Length >= 8).Distinct().ToArray();
        foreach (var record in records)
        {
            var texts = (record.StructuredState ?? []).Select(kv => kv.Value ?? "").Append(record.Message).Append(record.Exception?.ToString() ?? "");
            foreach (var text in texts)
            {
                Assert.False(fragments.Any(f => text.Contains(f, StringComparison.Ordinal)), $"Event {record.Id} of {record.Category} logged part of a token.");
            }
        }
    }
}
