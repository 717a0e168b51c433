using System.Buffers.Text;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Diagnostics;
using TokenVerifier.Keys;
using TokenVerifier.Testing;
using TokenVerifier.Tests.Network;
using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Keys;

/// <summary>
/// New material published under a kid the cache already has: a removal plus an addition. Tokens the old key verified stop
/// being accepted, from the validated-token cache as well as freshly; tokens of the new key are accepted.
/// </summary>
public sealed class KeyReplacementTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(TestPool.Start);
    private readonly LocalUserPool _pool;
    private readonly LocalUserPool _replacement;
    private readonly FaultHandler _network;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeLoggerProvider _logs = new();
    private readonly LoggerFactory _loggerFactory;
    private readonly TokenVerifierMetrics _metrics;
    private readonly SigningKeyCacheRegistry _registry;
    private readonly UserPoolValidationOptions _options;
    private readonly UserPoolTokenValidator _validator;

    public KeyReplacementTests()
    {
        _pool = new LocalUserPool("eu-west-1_KeyReplace1", timeProvider: _time);
        _replacement = new LocalUserPool("eu-west-1_KeyReplace2", timeProvider: _time);
        _network = new FaultHandler(_pool.CreateJwksHandler(), _time);
        var client = new HttpClient(_network);
        _loggerFactory = new LoggerFactory([_logs]);
        _metrics = new TokenVerifierMetrics(_services.GetRequiredService<IMeterFactory>(), _time);
        _registry = new SigningKeyCacheRegistry(() => client, _time, _loggerFactory, _metrics);
        _options = new UserPoolValidationOptions { UserPoolId = _pool.UserPoolId };
        _options.ClientIds.Add(_pool.DefaultClientId);
        _validator = new UserPoolTokenValidator(_options, _registry, _time);
    }

    private SigningKeyCache Keys => _validator.KeyCaches[0];

    public void Dispose()
    {
        _validator.Dispose();
        _registry.Dispose();
        _metrics.Dispose();
        _loggerFactory.Dispose();
        _logs.Dispose();
        _services.Dispose();
        _network.Dispose();
        _replacement.Dispose();
        _pool.Dispose();
    }

    [Fact]
    public async Task A_cached_token_is_refused_once_its_kid_names_a_new_modulus()
    {
        var token = _pool.MintAccessToken();
        var keyId = _pool.CurrentKeyId;
        Assert.True((await _validator.ValidateAsync(token)).IsValid);
        Assert.True((await _validator.ValidateAsync(token)).IsValid);
        Assert.Equal(1, _validator.CacheStatistics.Hits);

        ReplaceModulus(keyId);
        Assert.True(await Keys.RefreshAsync());

        // The cached entry was verified by the old key: not served, and the fresh validation it falls back to fails.
        var cached = await _validator.ValidateAsync(token);
        Assert.Equal(TokenFailure.InvalidSignature, cached.Failure);
        Assert.Equal(1, _validator.CacheStatistics.Hits);

        // What a validator without a cache (or one that never saw the token) answers: the same.
        using var fresh = new UserPoolTokenValidator(CopyOptions(cacheSize: 0), _registry, _time);
        Assert.Equal(TokenFailure.InvalidSignature, (await fresh.ValidateAsync(token)).Failure);

        // The addition half: the same claims signed by the new key under the same kid are accepted.
        var resigned = Resign(token);
        var result = await _validator.ValidateAsync(resigned);
        Assert.True(result.IsValid, result.FailureMessage);
        Assert.Equal(keyId, result.Token!.KeyId);
    }

    [Fact]
    public async Task A_refresh_drops_the_cached_tokens_of_a_replaced_key_before_any_request_comes()
    {
        var token = _pool.MintAccessToken();
        Assert.True((await _validator.ValidateAsync(token)).IsValid);
        Assert.Equal(1, _validator.CacheStatistics.Count);

        ReplaceModulus(_pool.CurrentKeyId);
        Assert.True(await Keys.RefreshAsync());

        Assert.Equal(0, _validator.CacheStatistics.Count);
    }

    [Fact]
    public async Task An_entry_added_by_a_validation_that_raced_the_replacement_is_not_served()
    {
        var token = _pool.MintAccessToken();
        var verified = (await _validator.ValidateAsync(token)).Token!;
        Assert.True(Keys.TryGetKey(verified.KeyId, out var oldKey));
        using var cache = new ValidatedTokenCache(10, TimeSpan.Zero, _time, [Keys]);

        // A validation verified the token with the old key, the refresh swapped the key in and notified its listeners, and
        // only then did the validation add its entry: no removal notice will ever reach that entry.
        ReplaceModulus(verified.KeyId);
        Assert.True(await Keys.RefreshAsync());
        cache.Add(token, verified, Keys, oldKey!, verified.ExpiresAt.ToUnixTimeSeconds(), double.NegativeInfinity);

        Assert.False(cache.TryGet(token, out _));
    }

    [Fact]
    public async Task A_refresh_that_publishes_the_same_keys_again_keeps_cached_tokens_served()
    {
        var token = _pool.MintAccessToken();
        Assert.True((await _validator.ValidateAsync(token)).IsValid);
        Assert.True(Keys.TryGetKey(_pool.CurrentKeyId, out var before));

        // A new key set object, parsed afresh from the same document.
        Assert.True(await Keys.RefreshAsync());
        Assert.True(Keys.TryGetKey(_pool.CurrentKeyId, out var after));

        Assert.Same(before, after);
        Assert.True((await _validator.ValidateAsync(token)).IsValid);
        Assert.Equal(1, _validator.CacheStatistics.Hits);
    }

    [Fact]
    public async Task A_replacement_is_logged_as_its_own_event_and_counted_apart_from_additions_and_removals()
    {
        using var changes = new MetricCollector<long>(_services.GetRequiredService<IMeterFactory>(), TokenVerifierMetrics.MeterName, "tokenverifier.jwks.key_changes");
        var replacedKeyId = _pool.CurrentKeyId;
        Assert.True(await Keys.RefreshAsync());
        var removedKeyId = _pool.RotateKey();
        Assert.True(await Keys.RefreshAsync());
        _pool.RotateKey();
        _pool.RemoveKey(removedKeyId);
        ReplaceModulus(replacedKeyId);

        Assert.True(await Keys.RefreshAsync());

        // First fetch: nothing to compare with. Then one key added; then one added, one removed, one replaced.
        Assert.Equal(
            [("added", 1L), ("added", 1L), ("removed", 1L), ("replaced", 1L)],
            changes.GetMeasurementSnapshot().Select(m => ((string)m.Tags["tokenverifier.change"]!, m.Value)));
        Assert.All(changes.GetMeasurementSnapshot(), m => Assert.Equal(_pool.JwksUri.ToString(), m.Tags["tokenverifier.jwks_uri"]));

        var replaced = Assert.Single(_logs.Collector.GetSnapshot(), r => r.Id.Id == 2010);
        Assert.Equal("KeyReplaced", replaced.Id.Name);
        Assert.Equal(LogLevel.Warning, replaced.Level);
        Assert.Equal(typeof(SigningKeyCache).FullName, replaced.Category);
        Assert.Equal(replacedKeyId, replaced.GetStructuredStateValue("KeyId"));
        Assert.Equal(_pool.JwksUri.ToString(), replaced.GetStructuredStateValue("JwksUri"));
    }

    // From now on the pool's key set publishes, under keyId, the replacement pool's modulus instead of the original.
    private void ReplaceModulus(string keyId)
    {
        var modulus = LocalUserPool.Base64UrlEncode(_replacement.ExportPublicKey(_replacement.CurrentKeyId).Modulus);
        _network.RewriteKeySet = json =>
        {
            var set = JsonNode.Parse(json)!;
            foreach (var key in set["keys"]!.AsArray())
            {
                if ((string?)key!["kid"] == keyId)
                {
                    key["n"] = modulus;
                }
            }

            return set.ToJsonString();
        };
    }

    // The token's header (kid included) and claims, signed by the replacement key.
    private string Resign(string token)
    {
        var parts = token.Split('.');
        return _replacement.SignRaw(Base64Url.DecodeFromChars(parts[0]), Base64Url.DecodeFromChars(parts[1]));
    }

    private UserPoolValidationOptions CopyOptions(int cacheSize)
    {
        var copy = new UserPoolValidationOptions { UserPoolId = _options.UserPoolId, ValidatedTokenCacheSize = cacheSize };
        copy.ClientIds.Add(_pool.DefaultClientId);
        return copy;
    }
}
