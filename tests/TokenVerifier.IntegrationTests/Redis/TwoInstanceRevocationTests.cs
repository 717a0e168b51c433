using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using TokenVerifier.Revocation;
using TokenVerifier.Testing;
using Xunit.Abstractions;

namespace TokenVerifier.IntegrationTests.Redis;

/// <summary>Two instances of the sample sharing one real Redis: what a scaled-out API sees after a sign-out.</summary>
[Collection(SharedRedis.Name)]
public sealed class TwoInstanceRevocationTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private static readonly Uri Me = new("/me", UriKind.Relative);
    private static readonly Uri SignOut = new("/auth/signout", UriKind.Relative);

    private readonly RedisServer _redis;
    private readonly LocalUserPool _pool = new(SampleInstance.PoolId);

    private string PoolKey => Native.ValidatedTokens.PoolOf(_pool.Issuer);
    private readonly SampleInstance _a;
    private readonly SampleInstance _b;
    private readonly ITestOutputHelper _output;
    private ConnectionMultiplexer? _direct;

    public TwoInstanceRevocationTests(RedisFixture fixture, ITestOutputHelper output)
    {
        _output = output;
        _redis = fixture.Server;
        (string, string)[] settings =
        [
            ("UserPool:Revocation:LocalCacheDuration", "00:00:01"),
            ("UserPool:Revocation:MaxTokenLifetime", "02:00:00"),
            ("UserPool:Revocation:ClockSkew", "00:00:00"),
            ("UserPool:Revocation:KeyPrefix", $"tv-{Guid.NewGuid():N}:"),
        ];
        _a = new SampleInstance(_pool, _redis, settings);
        _b = new SampleInstance(_pool, _redis, settings);
    }

    private string Prefix => _a.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RevocationStoreOptions>>().Value.KeyPrefix;

    public async Task InitializeAsync() => _direct = await RedisProbe.ConnectAsync(_redis);

    public async Task DisposeAsync() => await _direct!.DisposeAsync();

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _pool.Dispose();
    }

    private static async Task<HttpStatusCode> StatusOf(SampleInstance instance, string token)
    {
        using var client = instance.ClientWith(token);
        using var response = await client.GetAsync(Me);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_sign_out_through_instance_A_is_enforced_by_instance_B_within_the_window_and_other_users_keep_working()
    {
        var alice = _pool.SignIn(new LocalTokenOptions { Username = "alice" });
        var bob = _pool.SignIn(new LocalTokenOptions { Username = "bob" });

        // B has just answered "not revoked" for alice, so its local cache holds that answer.
        Assert.Equal(HttpStatusCode.OK, await StatusOf(_a, alice.AccessToken));
        Assert.Equal(HttpStatusCode.OK, await StatusOf(_b, alice.AccessToken));

        using (var client = _a.ClientWith(alice.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync(SignOut, null)).StatusCode);
        }

        var signedOut = Stopwatch.StartNew();
        using (var client = _a.ClientWith(alice.AccessToken))
        {
            using var response = await client.GetAsync(Me);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token has been revoked.\"", response.Headers.WwwAuthenticate.ToString());
        }

        while (await StatusOf(_b, alice.AccessToken) == HttpStatusCode.OK)
        {
            Assert.True(signedOut.Elapsed <= TimeSpan.FromSeconds(1) + Window, $"B still accepted the revoked token {signedOut.Elapsed.TotalMilliseconds:F0} ms after the sign-out.");
            await Task.Delay(20);
        }

        var enforcedAfter = signedOut.Elapsed;
        _output.WriteLine($"Instance B refused the signed-out token {enforcedAfter.TotalMilliseconds:F0} ms after the sign-out on A (window {Window.TotalMilliseconds:F0} ms).");
        Assert.True(enforcedAfter <= TimeSpan.FromSeconds(1) + Window, $"B enforced the sign-out after {enforcedAfter.TotalMilliseconds:F0} ms.");
        using (var client = _b.ClientWith(alice.AccessToken))
        {
            using var response = await client.GetAsync(Me);
            Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token has been revoked.\"", response.Headers.WwwAuthenticate.ToString());
        }

        Assert.Equal(HttpStatusCode.OK, await StatusOf(_a, bob.AccessToken));
        Assert.Equal(HttpStatusCode.OK, await StatusOf(_b, bob.AccessToken));
    }

    [Fact]
    public async Task Signing_out_kills_the_access_and_id_token_of_that_sign_in_on_both_instances_and_a_new_sign_in_works()
    {
        var first = _pool.SignIn(new LocalTokenOptions { Username = "carol" });
        using (var client = _b.ClientWith(first.IdToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync(SignOut, null)).StatusCode);
        }

        foreach (var instance in new[] { _a, _b })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusOf(instance, first.AccessToken));
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusOf(instance, first.IdToken));
        }

        var second = _pool.SignIn(new LocalTokenOptions { Username = "carol" });
        Assert.NotEqual(first.OriginJti, second.OriginJti);
        Assert.Equal(first.Subject, second.Subject);
        foreach (var instance in new[] { _a, _b })
        {
            Assert.Equal(HttpStatusCode.OK, await StatusOf(instance, second.AccessToken));
            Assert.Equal(HttpStatusCode.OK, await StatusOf(instance, second.IdToken));
        }
    }

    [Fact]
    public async Task Entries_in_Redis_live_exactly_as_long_as_the_tokens_they_can_affect()
    {
        var db = _direct!.GetDatabase();

        // A sign-in entry: every token of the sign-in has expired one MaxTokenLifetime (2 h here) from now.
        var signIn = _pool.SignIn(new LocalTokenOptions { Username = "dave" });
        using (var client = _a.ClientWith(signIn.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync(SignOut, null)).StatusCode);
        }

        var signInTtl = await db.KeyTimeToLiveAsync(Prefix + "origin_jti:" + PoolKey + ":" + signIn.OriginJti);
        Assert.InRange(signInTtl!.Value, TimeSpan.FromHours(2) - TimeSpan.FromSeconds(10), TimeSpan.FromHours(2));

        // A user entry: tokens issued before the sign-out 30 minutes ago have all expired 2 h after it.
        var store = _b.Services.GetRequiredService<IRevocationStore>();
        await store.RevokeUserAsync(_pool.Issuer, signIn.Subject, DateTimeOffset.UtcNow.AddMinutes(-30));
        var userTtl = await db.KeyTimeToLiveAsync(Prefix + "sub:" + PoolKey + ":" + signIn.Subject);
        Assert.InRange(userTtl!.Value, TimeSpan.FromMinutes(90) - TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(90));

        // A token entry (a token without origin_jti is signed out by its jti) lives until the token's exp, then is gone.
        var options = new LocalTokenOptions { Username = "erin", Lifetime = TimeSpan.FromSeconds(2), Jti = Guid.NewGuid().ToString() };
        options.OmitClaims.Add("origin_jti");
        var shortLived = _pool.MintAccessToken(options);
        var exp = DateTimeOffset.FromUnixTimeSeconds(ExpOf(shortLived));
        using (var client = _a.ClientWith(shortLived))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync(SignOut, null)).StatusCode);
        }

        var tokenKey = Prefix + "jti:" + PoolKey + ":" + options.Jti;
        var tokenTtl = await db.KeyTimeToLiveAsync(tokenKey);
        Assert.NotNull(tokenTtl);
        Assert.InRange(tokenTtl.Value, TimeSpan.FromMilliseconds(1), exp - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOf(_b, shortLived));

        // Redis expires the key by itself at exp: poll its existence, not our clock.
        while (await db.KeyExistsAsync(tokenKey))
        {
            // Lifetimes are rounded up to Redis's whole seconds, so the entry may outlive the token by up to one second.
            Assert.True(DateTimeOffset.UtcNow < exp + TimeSpan.FromSeconds(1.5), "The token entry outlived its token by more than a second.");
            await Task.Delay(25);
        }

        Assert.True(DateTimeOffset.UtcNow >= exp - TimeSpan.FromMilliseconds(100), "The token entry vanished before its token expired.");
    }

    [Fact]
    public async Task The_health_check_reports_the_shared_store_as_healthy()
    {
        var report = await _a.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>().CheckHealthAsync();
        var entry = report.Entries["userpool-revocation"];
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, entry.Status);
        Assert.Equal("The revocation store (DistributedCacheRevocationStore) answers.", entry.Description);
    }

    private static long ExpOf(string token)
    {
        var payload = System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[1]);
        using var json = System.Text.Json.JsonDocument.Parse(payload);
        return json.RootElement.GetProperty("exp").GetInt64();
    }
}
