using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.AspNetCore.Tests.Sample;
using TokenVerifier.Keys;
using TokenVerifier.Revocation;
using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Tests.Security;

/// <summary>
/// Every rejection reason maps to RFC 6750's <c>invalid_token</c> (the token is "expired, revoked, malformed, or invalid
/// for other reasons", §3.1) and a description of what was wrong that echoes nothing of the token. Each header is pinned,
/// through the sample over its real HTTP pipeline.
/// </summary>
public sealed class ChallengeHeaderTests(SampleFactory factory, OpaqueErrorsFactory opaque) : IClassFixture<SampleFactory>, IClassFixture<OpaqueErrorsFactory>
{
    public static TheoryData<TokenFailure> Reasons() => [.. ChallengeTokens.Expected.Select(e => e.Failure)];

    // RevocationUnavailable and KeysUnavailable are not the token's fault: they answer 503 with Retry-After, not a
    // challenge (pinned in StoreUnavailableResponseTests and KeysOutageTests), so clients retry instead of signing in again.
    [Fact]
    public void Every_reason_has_a_pinned_challenge() =>
        Assert.Equal(
            Enum.GetValues<TokenFailure>().Where(f => f is not (TokenFailure.None or TokenFailure.RevocationUnavailable or TokenFailure.KeysUnavailable)),
            ChallengeTokens.Expected.Select(e => e.Failure));

    [Theory]
    [MemberData(nameof(Reasons))]
    public async Task Each_reason_has_its_exact_WWW_Authenticate_header(TokenFailure failure)
    {
        var description = ChallengeTokens.Expected.Single(e => e.Failure == failure).Description;
        await using var app = failure == TokenFailure.InvalidKey ? WithWeakKey(factory) : null;
        var pool = (app ?? (WebApplicationFactory<Program>)factory).Services.GetRequiredService<LocalUserPool>();
        var token = ChallengeTokens.For(failure, pool);

        var response = await SendAsync(app ?? factory, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate).ToString();
        Assert.Equal($"Bearer error=\"invalid_token\", error_description=\"{description}\"", challenge);
        foreach (var segment in token.Split('.').Where(s => s.Length >= 8))
        {
            Assert.DoesNotContain(segment, challenge, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Reasons))]
    public async Task With_IncludeErrorDetails_off_the_challenge_names_the_error_only(TokenFailure failure)
    {
        await using var withWeakKey = failure == TokenFailure.InvalidKey ? WithWeakKey(opaque) : null;
        var app = withWeakKey ?? (WebApplicationFactory<Program>)opaque;
        var token = ChallengeTokens.For(failure, app.Services.GetRequiredService<LocalUserPool>());

        var response = await SendAsync(app, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    private static async Task<HttpResponseMessage> SendAsync(WebApplicationFactory<Program> app, string token)
    {
        // The revoked case's token is revoked in the app's own store, as POST /auth/signout would.
        await app.Services.GetRequiredService<IRevocationStore>().RevokeTokenAsync(ChallengeTokens.RevokedTokenId, DateTimeOffset.UtcNow.AddHours(1));
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync(new Uri("/me", UriKind.Relative));
    }

    // The sample with its key endpoint down from the start: no key set was ever fetched.
    private static WebApplicationFactory<Program> WithoutKeys(WebApplicationFactory<Program> app) =>
        app.WithWebHostBuilder(b => b.ConfigureTestServices(services => services
            .FetchEmbeddedPoolKeysThrough(_ => new StatusHandler(HttpStatusCode.ServiceUnavailable))));

    // The sample with a 1024-bit key published beside its own: the vetting refuses it.
    private static WebApplicationFactory<Program> WithWeakKey(WebApplicationFactory<Program> app) =>
        app.WithWebHostBuilder(b => b.ConfigureTestServices(services => services
            .FetchEmbeddedPoolKeysThrough(sp => new WeakKeyHandler(sp.GetRequiredService<LocalUserPool>().CreateJwksHandler()))));
}
