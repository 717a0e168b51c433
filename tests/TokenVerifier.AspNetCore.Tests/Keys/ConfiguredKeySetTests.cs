using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Keys;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Keys;

/// <summary>
/// A key set given in configuration (<c>UserPool:Jwks</c>, <c>UserPool:JwksFile</c>) instead of fetched: real keys and
/// signatures, the application's own binding, start-up validation and health check; the network is a handler that counts.
/// </summary>
public sealed class ConfiguredKeySetTests : IDisposable
{
    private readonly FakeTimeProvider _poolTime = new(ConfiguredKeyHost.Start);
    private readonly LocalUserPool _pool;
    private readonly string _directory = Directory.CreateTempSubdirectory("jwks-config-").FullName;

    public ConfiguredKeySetTests() => _pool = new LocalUserPool("us-east-1_Offline1", timeProvider: _poolTime);

    [Fact]
    public async Task Token_is_accepted_with_the_key_set_given_inline_and_no_request_is_sent()
    {
        await using var host = await ConfiguredKeyHost.StartAsync(Settings(("UserPool:Jwks", _pool.GetJwksJson())));

        using var response = await host.GetAsync(_pool.MintAccessToken());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, host.Network.Requests);

        // An unknown kid reads the configuration again rather than reaching for the pool's endpoint.
        using var other = new LocalUserPool(_pool.UserPoolId, timeProvider: _poolTime);
        using var refused = await host.GetAsync(other.MintAccessToken(new LocalTokenOptions { ClientId = _pool.DefaultClientId }));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(0, host.Network.Requests);
    }

    [Fact]
    public async Task Token_is_accepted_with_the_key_set_in_a_file_and_no_request_is_sent()
    {
        var file = WriteJwks(_pool.GetJwksJson(), ConfiguredKeyHost.Start.AddDays(-1));
        await using var host = await ConfiguredKeyHost.StartAsync(Settings(("UserPool:JwksFile", file)));

        using var response = await host.GetAsync(_pool.MintAccessToken());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, host.Network.Requests);
    }

    [Fact]
    public async Task A_replaced_file_is_read_again_for_an_unknown_kid_and_on_the_refresh_interval()
    {
        var file = WriteJwks(_pool.GetJwksJson(), ConfiguredKeyHost.Start.AddDays(-1));
        await using var host = await ConfiguredKeyHost.StartAsync(Settings(("UserPool:JwksFile", file)));
        var oldToken = _pool.MintAccessToken();
        using (var before = await host.GetAsync(oldToken))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        // The pool rotates and the operator replaces the file: the first token of the new key finds it at once (an unknown
        // kid reads the file again).
        var oldKid = _pool.CurrentKeyId;
        _pool.RotateKey(keepPreviousKey: true);
        WriteJwks(_pool.GetJwksJson(), ConfiguredKeyHost.Start.AddMinutes(1), file);
        using (var rotated = await host.GetAsync(_pool.MintAccessToken()))
        {
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        }

        Assert.Equal(ConfiguredKeyHost.Start.AddMinutes(1), (await StatusAsync(host)).KeySetDate);

        // The old key is unpublished: nothing asks for it, and the background refresher reads the file at three quarters of
        // KeyRefreshInterval (1 h) without any traffic, which drops it.
        _pool.RemoveKey(oldKid);
        WriteJwks(_pool.GetJwksJson(), ConfiguredKeyHost.Start.AddMinutes(2), file);
        using (var stillServed = await host.GetAsync(oldToken))
        {
            Assert.Equal(HttpStatusCode.OK, stillServed.StatusCode);
        }

        host.Time.Advance(TimeSpan.FromMinutes(46));
        _poolTime.Advance(TimeSpan.FromMinutes(46));
        await Until(async () => (await StatusAsync(host)).KeySetDate == ConfiguredKeyHost.Start.AddMinutes(2));
        using (var dropped = await host.GetAsync(oldToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, dropped.StatusCode);
        }

        using (var current = await host.GetAsync(_pool.MintAccessToken()))
        {
            Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        }

        Assert.Equal(0, host.Network.Requests);
    }

    [Fact]
    public async Task Keys_health_check_reports_how_old_a_configured_set_is()
    {
        var file = WriteJwks(_pool.GetJwksJson(), ConfiguredKeyHost.Start.AddDays(-40));
        await using (var host = await ConfiguredKeyHost.StartAsync(Settings(("UserPool:JwksFile", file))))
        {
            var entry = await host.CheckKeysAsync();
            var status = (SigningKeyCacheStatus)entry.Data.Values.Single();
            Assert.Equal(HealthStatus.Healthy, entry.Status);
            Assert.Equal(ConfiguredKeyHost.Start.AddDays(-40), status.KeySetDate);
            Assert.Equal(new Uri(file), status.JwksUri);
            Assert.Equal(
                $"1 signing key set(s) fresh. The configured keys of {new Uri(file)} date from 2026-10-15T12:00:00Z (40 days old).",
                entry.Description);
        }

        // An inline set is as old as the application's configuration: its start.
        await using var inline = await ConfiguredKeyHost.StartAsync(Settings(("UserPool:Jwks", _pool.GetJwksJson())));
        inline.Time.Advance(TimeSpan.FromHours(3));
        var inlineEntry = await inline.CheckKeysAsync();
        Assert.Equal(ConfiguredKeyHost.Start, ((SigningKeyCacheStatus)inlineEntry.Data.Values.Single()).KeySetDate);
        Assert.EndsWith("date from 2026-11-24T12:00:00Z (3 h old).", inlineEntry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pool_without_a_configured_set_still_fetches_and_reports_no_set_date()
    {
        var settings = Settings();
        settings["UserPool:JwksUri"] = "https://keys.example.com/jwks.json";
        var network = new ConfiguredKeyHost.CountingHandler();
        await using var app = ConfiguredKeyHost.Build(settings, new FakeTimeProvider(ConfiguredKeyHost.Start), network);
        await app.StartAsync();
        Assert.True(network.Requests > 0);
        var entry = (await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries.Values.Single();
        var status = (SigningKeyCacheStatus)entry.Data.Values.Single();
        Assert.Equal(new Uri("https://keys.example.com/jwks.json"), status.JwksUri);
        Assert.Null(status.KeySetDate);
        Assert.DoesNotContain("configured keys", entry.Description, StringComparison.Ordinal);
        await app.StopAsync();
    }

    [Fact]
    public void Bad_configured_key_sets_are_refused_at_start_naming_scheme_and_setting()
    {
        var file = WriteJwks(_pool.GetJwksJson(), ConfiguredKeyHost.Start);
        using var weak = new LocalUserPool("us-east-1_Weak1", keySizeInBits: 1024);
        var weakFile = WriteJwks(weak.GetJwksJson(), ConfiguredKeyHost.Start);
        var missing = Path.Combine(_directory, "missing.json");
        var notJson = WriteJwks("{ this is not json", ConfiguredKeyHost.Start);
        var jwks = _pool.GetJwksJson();

        Assert.Contains("'UserPool': UserPool: Jwks and JwksFile are both set", StartFailure(("UserPool:Jwks", jwks), ("UserPool:JwksFile", file)));
        Assert.Contains("'UserPool': UserPool: Jwks and JwksUri are both set", StartFailure(("UserPool:Jwks", jwks), ("UserPool:JwksUri", "https://keys.example.com/jwks.json")));
        Assert.Contains("'UserPool': UserPool: JwksFile and JwksUri are both set", StartFailure(("UserPool:JwksFile", file), ("UserPool:JwksUri", "https://keys.example.com/jwks.json")));
        Assert.Contains($"'UserPool': UserPool: JwksFile '{missing}' cannot be read", StartFailure(("UserPool:JwksFile", missing)));
        Assert.Contains($"'UserPool': UserPool: JwksFile '{notJson}' is not a JSON Web Key Set", StartFailure(("UserPool:JwksFile", notJson)));
        Assert.Contains("'UserPool': UserPool: Jwks is not a JSON Web Key Set", StartFailure(("UserPool:Jwks", "[1, 2]")));
        Assert.Contains("'UserPool': UserPool: Jwks has no usable RS256 signing key", StartFailure(("UserPool:Jwks", "{\"keys\": []}")));
        Assert.Contains($"'UserPool': UserPool: JwksFile '{weakFile}' has no usable RS256 signing key (", StartFailure(("UserPool:JwksFile", weakFile)));
        Assert.Contains("'UserPool': Pools[0]: Jwks has no usable RS256 signing key", StartFailure(
            ("UserPool:Pools:0:UserPoolId", "eu-west-1_Other1"), ("UserPool:Pools:0:ClientIds:0", "c"), ("UserPool:Pools:0:Jwks", weak.GetJwksJson())));

        // Pasted as a JSON object, the set would bind to nothing and the pool would fetch from Cognito after all.
        Assert.Contains("'UserPool:Jwks' must be the key set as one JSON string", StartFailure(("UserPool:Jwks:keys:0:kid", "k1")));
    }

    [Fact]
    public void Unknown_keys_check_knows_the_new_settings_top_level_and_per_pool()
    {
        var file = WriteJwks(_pool.GetJwksJson(), ConfiguredKeyHost.Start);
        var settings = Settings(("UserPool:JwksFile", file));
        settings["UserPool:Pools:0:UserPoolId"] = "eu-west-1_Other1";
        settings["UserPool:Pools:0:ClientIds:0"] = "c";
        settings["UserPool:Pools:0:Jwks"] = _pool.GetJwksJson().Replace(_pool.CurrentKeyId, "other-kid", StringComparison.Ordinal);
        using var app = ConfiguredKeyHost.Build(settings, new FakeTimeProvider(ConfiguredKeyHost.Start), new ConfiguredKeyHost.CountingHandler());
        var options = app.Services.GetRequiredService<IOptionsMonitor<AspNetCore.Authentication.UserPoolAuthenticationOptions>>().Get("UserPool");
        Assert.Empty(options.UnknownSettings);
        Assert.Equal(file, options.Validation.JwksFile);
        Assert.NotNull(options.Validation.Pools[0].Jwks);
    }

    public void Dispose()
    {
        _pool.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private Dictionary<string, string?> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["UserPool:UserPoolId"] = _pool.UserPoolId,
            ["UserPool:ClientIds:0"] = _pool.DefaultClientId,
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static async Task<SigningKeyCacheStatus> StatusAsync(ConfiguredKeyHost host) =>
        (SigningKeyCacheStatus)(await host.CheckKeysAsync()).Data.Values.Single();

    private string StartFailure(params (string Key, string Value)[] settings)
    {
        using var app = ConfiguredKeyHost.Build(Settings(settings), new FakeTimeProvider(ConfiguredKeyHost.Start), new ConfiguredKeyHost.CountingHandler());
        var error = Record.Exception(() => app.StartAsync().GetAwaiter().GetResult());
        var failure = Assert.IsType<OptionsValidationException>(error is AggregateException all ? all.InnerExceptions[0] : error);
        return failure.Message;
    }

    private string WriteJwks(string json, DateTimeOffset changedAt, string? path = null)
    {
        path ??= Path.Combine(_directory, $"{Guid.NewGuid():N}.json");

        // Written beside and moved over, as an operator's deployment would, so a reader never sees half a file.
        var staging = path + ".new";
        File.WriteAllText(staging, json);
        File.SetLastWriteTimeUtc(staging, changedAt.UtcDateTime);
        File.Move(staging, path, overwrite: true);
        return path;
    }

    private static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        Assert.True(await condition());
    }
}
