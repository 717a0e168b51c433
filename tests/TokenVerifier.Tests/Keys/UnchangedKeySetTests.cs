using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TokenVerifier.Keys;
using TokenVerifier.Testing;
using TokenVerifier.Tests.Network;
using TokenVerifier.Tests.Security;
using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Keys;

/// <summary>
/// A key set fetched again unchanged (what a flood of forged kids causes every few seconds) is not parsed, vetted and
/// imported again: the cache keeps the set it read, fetched anew. Any change to the document is read in full.
/// </summary>
public sealed class UnchangedKeySetTests : IDisposable
{
    private readonly FakeLoggerProvider _logs = new();
    private readonly LoggerFactory _loggerFactory;
    private readonly RSA _weak = RSA.Create(1024);
    private Func<string, string>? _rewrite;
    private readonly TestPool _t;

    public UnchangedKeySetTests()
    {
        _loggerFactory = new LoggerFactory([_logs]);
        _t = new TestPool(
            network: (inner, time) => new FaultHandler(inner, time) { RewriteKeySet = jwks => _rewrite is null ? jwks : _rewrite(jwks) },
            loggerFactory: _loggerFactory);
    }

    public void Dispose()
    {
        _t.Dispose();
        _weak.Dispose();
        _loggerFactory.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task An_unchanged_document_is_fetched_again_but_not_read_again()
    {
        var token = _t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromHours(24) });
        Assert.True(await _t.Keys.RefreshAsync());
        var keyCount = _t.Keys.GetStatus().KeyCount;
        for (var i = 0; i < 3; i++)
        {
            _t.Time.Advance(TimeSpan.FromMinutes(61));
            Assert.Equal(KeySetState.Stale, _t.Keys.GetStatus().State);

            // A new set all the same: fetched now, so fresh again.
            Assert.True(await _t.Keys.RefreshAsync());
            var status = _t.Keys.GetStatus();
            Assert.Equal(KeySetState.Fresh, status.State);
            Assert.Equal(_t.Time.GetUtcNow(), status.LastRefreshed);
            Assert.Equal(keyCount, status.KeyCount);
            Assert.Equal(TokenFailure.None, await _t.FailureOfAsync(token));
        }

        Assert.Equal(4, _t.Network.Count);
        Assert.Equal(1, _t.Keys.DocumentsRead);
        Assert.Equal(4, _logs.Collector.GetSnapshot().Count(r => r.Id.Id == 2001));
    }

    [Fact]
    public async Task A_rotated_key_is_read_and_used_after_unchanged_fetches()
    {
        Assert.True(await _t.Keys.RefreshAsync());
        Assert.True(await _t.Keys.RefreshAsync());
        Assert.Equal(1, _t.Keys.DocumentsRead);

        _t.Pool.RotateKey(keepPreviousKey: false);
        var rotated = _t.Pool.MintAccessToken();
        Assert.True(await _t.Keys.RefreshAsync());
        Assert.Equal(2, _t.Keys.DocumentsRead);
        var result = await _t.ValidateAsync(rotated);
        Assert.True(result.IsValid, result.FailureMessage);
        Assert.Equal(1, _t.Keys.GetStatus().KeyCount);
    }

    [Fact]
    public async Task A_document_that_differs_only_in_white_space_is_read_again()
    {
        Assert.True(await _t.Keys.RefreshAsync());
        _rewrite = jwks => jwks + " ";
        Assert.True(await _t.Keys.RefreshAsync());
        Assert.Equal(2, _t.Keys.DocumentsRead);
        Assert.True(await _t.Keys.RefreshAsync());
        Assert.Equal(2, _t.Keys.DocumentsRead);
    }

    [Fact]
    public async Task A_document_without_a_usable_key_is_read_every_time_and_the_good_one_after_it_is_not()
    {
        var token = _t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromHours(24) });
        Assert.True(await _t.Keys.RefreshAsync());

        _rewrite = _ => "{\"keys\":[]}";
        for (var i = 0; i < 2; i++)
        {
            _t.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.False(await _t.Keys.RefreshAsync());
            Assert.Equal("the key set has no usable RS256 signing key", _t.Keys.GetStatus().LastError);
        }

        Assert.Equal(3, _t.Keys.DocumentsRead);

        // The last good document again: the set it gave is still the one serving, so it is not read.
        _rewrite = null;
        _t.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await _t.Keys.RefreshAsync());
        Assert.Equal(3, _t.Keys.DocumentsRead);
        Assert.Null(_t.Keys.GetStatus().LastError);
        Assert.Equal(TokenFailure.None, await _t.FailureOfAsync(token));
    }

    [Fact]
    public async Task A_refused_key_keeps_its_reason_and_its_warning_across_unchanged_fetches()
    {
        _rewrite = jwks => Forge.EditKeySet(jwks, null, Forge.Jwk(_weak, "weak-1024"));
        var token = Forge.Rs256(_weak, "{\"alg\":\"RS256\",\"kid\":\"weak-1024\"}", RawTokens.AccessPayload(_t));
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await _t.Keys.RefreshAsync());
            var result = await _t.ValidateAsync(token);
            Assert.Equal(TokenFailure.InvalidKey, result.Failure);
            Assert.Equal("The token's signing key was refused: modulus shorter than 2048 bits.", result.FailureMessage);
        }

        Assert.Equal(1, _t.Keys.DocumentsRead);
        Assert.Equal(
            Enumerable.Repeat($"Ignored a key of {_t.Pool.JwksUri}: key 'weak-1024': modulus shorter than 2048 bits.", 3),
            _logs.Collector.GetSnapshot().Where(r => r.Id.Id == 2003).Select(r => r.Message));
    }
}
