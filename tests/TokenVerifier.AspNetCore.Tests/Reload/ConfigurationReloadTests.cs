using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Tests.Reload;

/// <summary>
/// A reload of the bound <c>UserPool</c> section, seen through real HTTP: pools added and removed, clients and policies
/// changed, an invalid reload refused while the last good configuration serves, a token in flight answered by the
/// configuration it started with.
/// </summary>
public sealed class ConfigurationReloadTests : IClassFixture<ConfigurationReloadTests.Pools>
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly Pools _pools;

    public ConfigurationReloadTests(Pools pools) => _pools = pools;

    private LocalUserPool A => _pools.A;

    private LocalUserPool B => _pools.B;

    [Fact]
    public async Task A_pool_added_by_a_reload_has_its_tokens_accepted_and_a_kept_pool_keeps_its_keys()
    {
        var time = new FakeTimeProvider(Start);
        await using var host = await ReloadHost.StartAsync(new JwksRouter([A, B]), ReloadHost.Trusting([A]), time);
        var tokenA = A.MintAccessToken();
        var tokenB = B.MintAccessToken();
        Assert.Equal(200, await host.StatusAsync(tokenA));
        Assert.Equal(401, await host.StatusAsync(tokenB));
        Assert.Equal(TokenFailure.UnknownIssuer, (await host.Validators.Get().ValidateAsync(tokenB)).Failure);

        host.Configuration.Replace(ReloadHost.Trusting([A, B]));

        Assert.Equal(200, await host.StatusAsync(tokenB));
        Assert.Equal(200, await host.StatusAsync(tokenA));
        Assert.Equal(1, host.Keys.RequestsFor(A));
        Assert.Equal(1, host.Keys.RequestsFor(B));
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 8601);
    }

    [Fact]
    public async Task A_pool_removed_by_a_reload_has_its_tokens_refused_its_key_cache_released_and_its_keys_never_fetched_again()
    {
        var time = new FakeTimeProvider(Start);
        await using var host = await ReloadHost.StartAsync(new JwksRouter([A, B]), ReloadHost.Trusting([A, B]), time);
        var tokenA = A.MintAccessToken();
        var tokenB = B.MintAccessToken();
        Assert.Equal(200, await host.StatusAsync(tokenB));
        Assert.Contains(host.KeyCaches.Caches, c => c.JwksUri == B.JwksUri);
        var before = host.Validators.Get();

        host.Configuration.Replace(ReloadHost.Trusting([A]));

        Assert.Equal(401, await host.StatusAsync(tokenB));
        Assert.Equal(TokenFailure.UnknownIssuer, (await host.Validators.Get().ValidateAsync(tokenB)).Failure);
        Assert.Equal(401, await host.StatusAsync(B.MintAccessToken()));
        Assert.Equal(200, await host.StatusAsync(tokenA));

        // The replaced validator (and its validated-token cache, where tokenB was) is gone; so is B's key cache.
        Assert.NotSame(before, host.Validators.Get());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await before.ValidateAsync(tokenB));
        Assert.DoesNotContain(host.KeyCaches.Caches, c => c.JwksUri == B.JwksUri);
        Assert.Contains(host.KeyCaches.Caches, c => c.JwksUri == A.JwksUri);

        // The background refresher reads the caches in force: B's keys are not fetched again when all would be due. Two
        // passes, each seen refreshing A: the first is over, B included had it been listed, when the second starts. A pass
        // is over once A's cache has recorded the refresh, not when its request arrives: a pass still running when the
        // clock moves on records its refresh at the later time, and A is then not due again (seen once under load).
        var fetchesOfA = host.Keys.RequestsFor(A);
        var cacheOfA = host.KeyCaches.Caches.Single(c => c.JwksUri == A.JwksUri);
        time.Advance(TimeSpan.FromHours(2));
        await Until(() => host.Keys.RequestsFor(A) > fetchesOfA && cacheOfA.GetStatus().LastRefreshed == time.GetUtcNow());
        time.Advance(TimeSpan.FromHours(2));
        await Until(() => host.Keys.RequestsFor(A) > fetchesOfA + 1);
        Assert.Equal(401, await host.StatusAsync(tokenB));
        Assert.Equal(1, host.Keys.RequestsFor(B));
    }

    [Fact]
    public async Task A_rewritten_appsettings_json_is_followed_without_a_restart()
    {
        var directory = Directory.CreateTempSubdirectory("tokenverifier-reload-");
        var file = Path.Combine(directory.FullName, "appsettings.json");
        static string Json(params LocalUserPool[] pools) =>
            "{ \"UserPool\": { \"Pools\": [ " + string.Join(", ", pools.Select(p => $"{{ \"UserPoolId\": \"{p.UserPoolId}\", \"ClientIds\": [ \"{p.DefaultClientId}\" ] }}")) + " ] } }";
        await File.WriteAllTextAsync(file, Json(A));
        using var files = new PhysicalFileProvider(directory.FullName);
        try
        {
            var time = new FakeTimeProvider(Start);
            await using var host = await ReloadHost.StartAsync(new JwksRouter([A, B]), new Dictionary<string, string?>(), time, moreSources: c => c.AddJsonFile(files, "appsettings.json", optional: false, reloadOnChange: true));
            var tokenA = A.MintAccessToken();
            var tokenB = B.MintAccessToken();
            Assert.Equal(401, await host.StatusAsync(tokenB));

            await File.WriteAllTextAsync(file, Json(B));

            await Until(() => host.Validators.Get().Issuers.Contains(B.Issuer));
            Assert.Equal(200, await host.StatusAsync(tokenB));
            Assert.Equal(401, await host.StatusAsync(tokenA));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_client_id_changed_by_a_reload_is_the_one_accepted()
    {
        var time = new FakeTimeProvider(Start);
        await using var host = await ReloadHost.StartAsync(new JwksRouter([A]), ReloadHost.Trusting([A]), time);
        var oldClient = A.MintAccessToken();
        var newClient = A.MintAccessToken(new LocalTokenOptions { ClientId = "newclient0000000000000000a" });
        Assert.Equal(200, await host.StatusAsync(oldClient));
        Assert.Equal(401, await host.StatusAsync(newClient));

        host.Configuration.Replace(ReloadHost.Trusting([A], ("UserPool:Pools:0:ClientIds:0", "newclient0000000000000000a")));

        Assert.Equal(200, await host.StatusAsync(newClient));
        Assert.Equal(401, await host.StatusAsync(oldClient));
        Assert.Equal(TokenFailure.InvalidClient, (await host.Validators.Get().ValidateAsync(oldClient)).Failure);
        Assert.Equal(1, host.Keys.RequestsFor(A));
    }

    [Fact]
    public async Task A_token_use_added_by_a_reload_is_accepted()
    {
        var time = new FakeTimeProvider(Start);
        await using var host = await ReloadHost.StartAsync(new JwksRouter([A]), ReloadHost.Trusting([A]), time);
        var idToken = A.MintIdToken();
        Assert.Equal(401, await host.StatusAsync(idToken));

        host.Configuration.Replace(ReloadHost.Trusting([A], ("UserPool:TokenUse:0", "access"), ("UserPool:TokenUse:1", "id")));

        Assert.Equal(200, await host.StatusAsync(idToken));
    }

    [Fact]
    public async Task A_policy_changed_by_a_reload_applies_from_the_next_request()
    {
        var time = new FakeTimeProvider(Start);
        await using var host = await ReloadHost.StartAsync(new JwksRouter([A]), ReloadHost.Trusting([A], ("UserPool:Policies:admins:Groups:0", "admins")), time);
        var admin = A.MintAccessToken(new LocalTokenOptions { Groups = { "admins" } });
        var operator_ = A.MintAccessToken(new LocalTokenOptions { Groups = { "ops" } });
        Assert.Equal(200, await host.StatusAsync(admin, "/admins"));
        Assert.Equal(403, await host.StatusAsync(operator_, "/admins"));

        host.Configuration.Replace(ReloadHost.Trusting([A], ("UserPool:Policies:admins:Groups:0", "ops")));

        Assert.Equal(200, await host.StatusAsync(operator_, "/admins"));
        Assert.Equal(403, await host.StatusAsync(admin, "/admins"));
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 8603);
    }

    [Fact]
    public async Task The_handler_settings_follow_a_reload_with_the_validator()
    {
        var time = new FakeTimeProvider(Start);
        await using var host = await ReloadHost.StartAsync(new JwksRouter([A, B]), ReloadHost.Trusting([A], ("UserPool:Realm", "before")), time);
        using (var refused = await host.GetAsync(B.MintAccessToken()))
        {
            Assert.Contains("realm=\"before\"", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        host.Configuration.Replace(ReloadHost.Trusting([A], ("UserPool:Realm", "after")));

        using var after = await host.GetAsync(B.MintAccessToken());
        Assert.Contains("realm=\"after\"", after.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_reload_is_refused_logged_and_reported_Degraded_until_a_good_one_lands()
    {
        var time = new FakeTimeProvider(Start);
        await using var host = await ReloadHost.StartAsync(new JwksRouter([A, B]), ReloadHost.Trusting([A], ("UserPool:Policies:admins:Groups:0", "admins")), time);
        var tokenA = A.MintAccessToken(new LocalTokenOptions { Groups = { "admins" } });
        var tokenB = B.MintAccessToken(new LocalTokenOptions { Groups = { "admins" } });
        Assert.Equal(HealthStatus.Healthy, (await host.CheckHealthAsync()).Status);
        var before = host.Validators.Get();

        // B is added, but beside a pool id that fails validation: nothing of the reload applies.
        host.Configuration.Replace(ReloadHost.Trusting([A, B], ("UserPool:Pools:2:UserPoolId", "not-a-pool"), ("UserPool:Pools:2:ClientIds:0", "c"), ("UserPool:Policies:admins:Groups:0", "admins")));

        Assert.Same(before, host.Validators.Get());
        Assert.Equal(200, await host.StatusAsync(tokenA));
        Assert.Equal(200, await host.StatusAsync(tokenA, "/admins"));
        Assert.Equal(401, await host.StatusAsync(tokenB));
        var error = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Id == 8602);
        Assert.Contains("not-a-pool", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(tokenA, error.Message, StringComparison.Ordinal);
        var degraded = await host.CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("scheme 'UserPool'", degraded.Description, StringComparison.Ordinal);
        Assert.Contains("not-a-pool", degraded.Description, StringComparison.Ordinal);

        // A policy that fails validation is refused the same way; the one in force keeps serving.
        host.Configuration.Replace(ReloadHost.Trusting([A], ("UserPool:Policies:admins:Scope:0", "x")));
        Assert.Equal(200, await host.StatusAsync(tokenA, "/admins"));
        Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Id == 8604);
        Assert.Contains("the authorization policies", (await host.CheckHealthAsync()).Description, StringComparison.Ordinal);

        host.Configuration.Replace(ReloadHost.Trusting([A, B], ("UserPool:Policies:admins:Groups:0", "admins")));

        Assert.Equal(200, await host.StatusAsync(tokenB));
        Assert.Equal(200, await host.StatusAsync(tokenB, "/admins"));
        var healthy = await host.CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
    }

    [Fact]
    public async Task A_reload_changing_the_key_cache_settings_of_a_kept_pool_is_refused_with_a_message_that_says_to_restart()
    {
        var time = new FakeTimeProvider(Start);
        await using var host = await ReloadHost.StartAsync(new JwksRouter([A]), ReloadHost.Trusting([A]), time);
        var before = host.Validators.Get();

        host.Configuration.Replace(ReloadHost.Trusting([A], ("UserPool:KeyRefreshInterval", "00:07:00")));

        Assert.Same(before, host.Validators.Get());
        Assert.Equal(200, await host.StatusAsync(A.MintAccessToken()));
        var error = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Id == 8602);
        Assert.Contains("The scheme 'UserPool' keeps the signing keys of", error.Message, StringComparison.Ordinal);
        Assert.Contains("restart the application", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("The schemes", error.Message, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Degraded, (await host.CheckHealthAsync()).Status);
    }

    [Fact]
    public async Task A_token_being_validated_when_a_reload_lands_is_answered_by_the_configuration_it_started_with()
    {
        var time = new FakeTimeProvider(Start);
        var store = new BlockingRevocationStore();
        await using var host = await ReloadHost.StartAsync(new JwksRouter([A, B]), ReloadHost.Trusting([A, B]), time, services => services.AddSingleton<TokenVerifier.Revocation.IRevocationStore>(store));
        var tokenB = B.MintAccessToken();
        var before = host.Validators.Get();

        // The validation of tokenB passes every check of the configuration trusting B, then waits in the revocation store.
        store.Block();
        var inFlight = host.StatusAsync(tokenB);
        await store.Entered.WaitAsync(TimeSpan.FromSeconds(30));

        host.Configuration.Replace(ReloadHost.Trusting([A]));
        Assert.NotSame(before, host.Validators.Get());

        // Still in use: not disposed (a disposed validator would throw before looking at the token).
        Assert.Equal(TokenFailure.Malformed, (await before.ValidateAsync("x")).Failure);
        store.Release();

        Assert.Equal(200, await inFlight);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await before.ValidateAsync("x"));
        Assert.Equal(401, await host.StatusAsync(tokenB));
    }

    // Waits for work on another task: the background refresher once the fake clock lets it, or the file watcher.
    private static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 3000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    /// <summary>Two pools shared by the tests: their keys are generated once.</summary>
    public sealed class Pools : IDisposable
    {
        public LocalUserPool A { get; } = new("us-east-1_ReloadA1", timeProvider: new FakeTimeProvider(Start));

        public LocalUserPool B { get; } = new("eu-west-1_ReloadB1", timeProvider: new FakeTimeProvider(Start));

        public void Dispose()
        {
            A.Dispose();
            B.Dispose();
        }
    }
}
